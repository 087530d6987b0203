#!/usr/bin/env node
// The command tree is plain JavaScript; it loads the TypeScript commands through tsx when one runs.
import "../src/main.mjs";
