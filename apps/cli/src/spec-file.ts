import { readFileSync } from "node:fs";
import { startSpecSchema } from "@hindcast/api/schemas";
import { issuePath } from "@hindcast/contracts";
// The spec modules alone: the package's index loads TF.js, which the CLI needs only to replay.
import { specPathProblem } from "@hindcast/models/spec-paths";
import { type SweepSpecInput, sweepSpecSchema } from "@hindcast/sweeps/spec";
import { isMap, LineCounter, parseDocument, parse as parseYaml } from "yaml";
import type { z } from "zod";
import { CliError } from "./errors.mjs";

/** A YAML (or JSON) file as a document whose nodes know their lines; a CliError with file:line:col for a syntax error. */
function readYamlDocument(file: string, what: string) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(`Cannot read ${what} file ${file}. Fix: check the path`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length) {
    throw new CliError(
      document.errors
        .map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return `${file}:${line}:${col}: ${e.message.split("\n")[0]}`;
        })
        .join("\n"),
    );
  }
  return { document, lineCounter };
}

/** One line per issue of a failed parse, at the line of the value it is about (or the --set flag that set it). */
function issueLines(
  file: string,
  { document, lineCounter }: ReturnType<typeof readYamlDocument>,
  issues: readonly z.core.$ZodIssue[],
  overridden: ReadonlyMap<string, string> = new Map(),
): string {
  return issues
    .map((issue) => {
      // An unknown key is reported on its object: point at the key's own line.
      const path = issue.code === "unrecognized_keys" ? [...issue.path.map(String), String(issue.keys[0])] : issue.path.map(String);
      let node = document.getIn(path, true) as { range?: [number, number] } | undefined;
      for (let n = path.length - 1; !node?.range && n > 0; n--) node = document.getIn(path.slice(0, n), true) as typeof node;
      // A value set by --set is the flag's fault, not the file's.
      const dotted = issuePath(path);
      const flag = [...overridden].find(([key]) => dotted === key || dotted.startsWith(`${key}.`))?.[1];
      const where = flag ? `--set ${flag}` : node?.range ? `${file}:${lineCounter.linePos(node.range[0]).line}` : file;
      return `${where}: ${issuePath(issue.path) || "(top level)"}: ${issue.message}`;
    })
    .join("\n");
}

/**
 * Reads a spec (YAML or JSON), applies --set overrides and validates it as
 * the API's start does (train.seed may be a list), reporting every error
 * with its path and line.
 */
export function readSpecFile(file: string, overrides: readonly string[] = []): unknown {
  const parsed = readYamlDocument(file, "spec");
  const { document } = parsed;
  if (!isMap(document.contents)) throw new CliError(`${file}: the spec must be a mapping (data:, model:, train:, ...)`);
  const overridden = new Map<string, string>();
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) throw new CliError(`--set ${override}: use key=value, e.g. --set train.epochs=5`);
    const path = override.slice(0, eq).split(".");
    const problem = specPathProblem(path);
    if (problem) throw new CliError(`--set ${override.slice(0, eq)}: ${problem}`);
    document.setIn(path, parseYaml(override.slice(eq + 1)));
    overridden.set(path.join("."), override);
  }
  const spec: unknown = document.toJS();
  const result = startSpecSchema.safeParse(spec);
  if (result.success) return spec;
  throw new CliError(issueLines(file, parsed, result.error.issues, overridden));
}

/** Reads a sweep spec (YAML or JSON) and checks its shape as the API will, each error with its path and line. */
export function readSweepFile(file: string): SweepSpecInput {
  const parsed = readYamlDocument(file, "sweep");
  if (!isMap(parsed.document.contents)) throw new CliError(`${file}: the sweep must be a mapping (base:, space:, method:, ...)`);
  const sweep: unknown = parsed.document.toJS();
  const result = sweepSpecSchema.safeParse(sweep);
  if (result.success) return sweep as SweepSpecInput;
  throw new CliError(issueLines(file, parsed, result.error.issues));
}
