#!/usr/bin/env node
// The workspace runs TypeScript sources directly (no build step): load them through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
