import { issueLine, issuePath, UserFacingError } from "@hindcast/contracts";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { Pipeline, type PipelineOptions, type Stage } from "./pipeline";

export type StageFactory<C> = (options: Record<string, unknown>) => Stage<C>;

const stageEntrySchema = z.union(
  [z.string(), z.strictObject({ stage: z.string(), options: z.record(z.string(), z.unknown()).optional() })],
  {
    error: "expected a stage name or { stage, options }",
  },
);

export const pipelineConfigSchema = z.strictObject({
  stages: z.array(stageEntrySchema).min(1),
  description: z.string().optional(),
});

export const pipelinesFileSchema = z.strictObject({ pipelines: z.record(z.string(), pipelineConfigSchema) });

export type StageEntry = z.infer<typeof stageEntrySchema>;
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type PipelinesFile = z.infer<typeof pipelinesFileSchema>;

export interface ConfigIssue {
  /** Where: "pipelines.default.stages.2.options.epochs", or "line:column" for a YAML syntax error. */
  path: string;
  message: string;
}

export class PipelineConfigError extends UserFacingError {
  override readonly name = "PipelineConfigError";

  constructor(readonly issues: ConfigIssue[]) {
    const shown = issues.slice(0, 3).map(issueLine);
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : "";
    super(
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in the pipeline config: ${shown.join("; ")}${more}`,
      "correct the pipeline config where each problem says",
    );
  }
}

interface Registration<C> {
  factory: StageFactory<C>;
  optionsSchema?: z.ZodType;
}

export class PipelineRegistry<C> {
  readonly #stages = new Map<string, Registration<C>>();

  registerStage(name: string, factory: StageFactory<C>, optionsSchema?: z.ZodType): this {
    if (this.#stages.has(name)) throw new Error(`stage "${name}" is already registered`);
    this.#stages.set(name, { factory, optionsSchema });
    return this;
  }

  stageNames(): string[] {
    return [...this.#stages.keys()];
  }

  /** Builds a pipeline named `name`; its config is checked first, as a file's would be. */
  build(name: string, config: PipelineConfig, deps: PipelineOptions): Pipeline<C> {
    const checked = this.#check(this.#configSchema(), config, ["pipelines", name]);
    const stages = checked.stages.map((entry) => {
      const { stage, options } = normalize(entry);
      // Checked above: the stage is registered and its options parse.
      const { factory, optionsSchema } = this.#stages.get(stage) as Registration<C>;
      return factory(optionsSchema ? (optionsSchema.parse(options) as Record<string, unknown>) : options);
    });
    return new Pipeline(name, stages, deps);
  }

  /** Parses and checks a pipelines file, YAML or JSON, reporting every problem at once. */
  loadYaml(text: string): PipelinesFile {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false });
    if (document.errors.length > 0) {
      throw new PipelineConfigError(
        document.errors.map((error) => {
          const { line, col } = lineCounter.linePos(error.pos[0]);
          return { path: `${line}:${col}`, message: error.message };
        }),
      );
    }
    return this.#check(pipelinesFileSchema.extend({ pipelines: z.record(z.string(), this.#configSchema()) }), document.toJS(), []);
  }

  #check<T>(schema: z.ZodType<T>, value: unknown, basePath: PropertyKey[]): T {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw new PipelineConfigError(
      result.error.issues.flatMap(explainUnion).map((issue) => ({ path: issuePath([...basePath, ...issue.path]), message: issue.message })),
    );
  }

  /**
   * The config schema plus what only this registry knows: stage names, their options, repeats.
   * Refinements, not transforms: their issues do not stop the other checks, so every problem shows at once.
   */
  #configSchema() {
    const entry = stageEntrySchema.superRefine((value, ctx) => {
      const { stage, options } = normalize(value);
      const registration = this.#stages.get(stage);
      if (!registration) {
        ctx.addIssue({ code: "custom", message: `unknown stage "${stage}" (known: ${this.stageNames().join(", ") || "none"})` });
        return;
      }
      for (const issue of registration.optionsSchema?.safeParse(options).error?.issues ?? []) {
        ctx.addIssue({ code: "custom", message: issue.message, path: ["options", ...issue.path] });
      }
    });
    return pipelineConfigSchema.extend({
      stages: z
        .array(entry)
        .min(1)
        .superRefine((entries, ctx) => {
          const firstIndex = new Map<string, number>();
          entries.forEach((value, index) => {
            const { stage } = normalize(value);
            const earlier = firstIndex.get(stage);
            if (earlier === undefined) firstIndex.set(stage, index);
            else ctx.addIssue({ code: "custom", message: `stage "${stage}" appears again (first at stages.${earlier})`, path: [index] });
          });
        }),
    });
  }
}

function normalize(entry: StageEntry): { stage: string; options: Record<string, unknown> } {
  return typeof entry === "string" ? { stage: entry, options: {} } : { stage: entry.stage, options: entry.options ?? {} };
}

/**
 * When a value has the type of one union branch (its issues are all inside the value), that branch's
 * issues say more than the union's: "stages.2.stage: expected string" rather than "stages.2: expected ...".
 */
function explainUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const typeMatched = issue.errors.find((branch) => branch.every((inner) => inner.path.length > 0 || inner.code !== "invalid_type"));
  return typeMatched ? typeMatched.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })) : [issue];
}
