// A worker thread's entry must be JavaScript: Node gives a thread no loader
// for TypeScript, so it registers tsx's before it imports the import code.
import { register } from "tsx/esm/api";

register();
await import("./csv-import-thread-body.ts");
