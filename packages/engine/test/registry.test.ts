import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MemoryRunStore } from "../src/memory-ports";
import type { Stage } from "../src/pipeline";
import { PipelineConfigError, PipelineRegistry } from "../src/registry";

type Log = string[];

function logging(name: string) {
  return (options: Record<string, unknown>): Stage<Log> => ({
    name,
    async execute(log) {
      log.push(`${name} ${JSON.stringify(options)}`);
    },
  });
}

function registry(): PipelineRegistry<Log> {
  return new PipelineRegistry<Log>()
    .registerStage("prepare", logging("prepare"))
    .registerStage(
      "loadData",
      logging("loadData"),
      z.strictObject({ dataset: z.string(), window: z.number().int().positive().default(32) }),
    )
    .registerStage(
      "train",
      logging("train"),
      z.strictObject({ epochs: z.number().int().min(1), optimizer: z.strictObject({ lr: z.number().positive() }) }),
    );
}

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineConfigError);
    return (error as PipelineConfigError).issues;
  }
  throw new Error("expected a PipelineConfigError");
}

const yamlFile = `
pipelines:
  default:
    description: the usual
    stages:
      - prepare
      - stage: loadData
        options: { dataset: sp500 }
      - stage: train
        options:
          epochs: 3
          optimizer: { lr: 0.01 }
`;

describe("PipelineRegistry", () => {
  it("lists the registered stages and refuses to register one twice", () => {
    const stages = registry();
    expect(stages.stageNames()).toEqual(["prepare", "loadData", "train"]);
    expect(() => stages.registerStage("train", logging("train"))).toThrow(/already registered/);
  });

  it("loads a YAML file and builds a runnable pipeline whose stages get their parsed options", async () => {
    const stages = registry();
    const file = stages.loadYaml(yamlFile);
    const config = file.pipelines.default;
    expect(config?.description).toBe("the usual");

    const pipeline = stages.build("default", config as NonNullable<typeof config>, { store: new MemoryRunStore() });
    expect(pipeline.name).toBe("default");
    expect(pipeline.stages.map((stage) => stage.name)).toEqual(["prepare", "loadData", "train"]);
    const log: Log = [];
    expect((await pipeline.execute(log)).status).toBe("succeeded");
    expect(log).toEqual(["prepare {}", 'loadData {"dataset":"sp500","window":32}', 'train {"epochs":3,"optimizer":{"lr":0.01}}']);
  });

  it("accepts the same file as JSON", () => {
    const json = JSON.stringify({ pipelines: { quick: { stages: ["prepare", { stage: "loadData", options: { dataset: "co2" } }] } } });
    expect(registry().loadYaml(json).pipelines.quick?.stages).toEqual(["prepare", { stage: "loadData", options: { dataset: "co2" } }]);
  });

  it("reports every problem at once, each with its path", () => {
    const text = `
pipelines:
  default:
    stages:
      - prepare
      - stage: loadData
        options: { window: -1 }
      - trian
      - stage: train
        options: { epochs: 0, optimizer: { lr: "fast" } }
      - prepare
  other:
    stagse: [prepare]
`;
    const issues = issuesOf(() => registry().loadYaml(text));
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath["pipelines.default.stages.2"]).toBe('unknown stage "trian" (known: prepare, loadData, train)');
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining([
        "pipelines.default.stages.1.options.dataset",
        "pipelines.default.stages.1.options.window",
        "pipelines.default.stages.3.options.epochs",
        "pipelines.default.stages.3.options.optimizer.lr",
        "pipelines.other",
      ]),
    );
    expect(issues.some((issue) => issue.path === "pipelines.other" && /stagse/.test(issue.message))).toBe(true);
  });

  it("reports a stage that appears twice, alongside the other problems", () => {
    const issues = issuesOf(() => registry().loadYaml("pipelines:\n  p:\n    stages: [prepare, train2, prepare]\n"));
    expect(issues).toEqual([
      { path: "pipelines.p.stages.1", message: 'unknown stage "train2" (known: prepare, loadData, train)' },
      { path: "pipelines.p.stages.2", message: 'stage "prepare" appears again (first at stages.0)' },
    ]);
  });

  it("says what is wrong inside a malformed stage entry", () => {
    const issues = issuesOf(() =>
      registry().loadYaml("pipelines:\n  p:\n    stages: [5, { options: {} }, { stage: prepare, options: 3 }]\n"),
    );
    expect(issues).toEqual([
      { path: "pipelines.p.stages.0", message: "expected a stage name or { stage, options }" },
      { path: "pipelines.p.stages.1.stage", message: expect.stringMatching(/expected string/) },
      { path: "pipelines.p.stages.2.options", message: expect.stringMatching(/expected record/) },
    ]);
  });

  it("reports YAML syntax errors with line:column", () => {
    const issues = issuesOf(() => registry().loadYaml("pipelines:\n  default:\n    stages: [prepare, train\n"));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toMatch(/^\d+:\d+$/);
    const duplicateKey = issuesOf(() => registry().loadYaml("pipelines:\n  a:\n    stages: [prepare]\n  a:\n    stages: [prepare]\n"));
    expect(duplicateKey[0]?.path).toBe("4:3");
  });

  it("summarises the count and the first problems on one line", () => {
    const error = (() => {
      try {
        registry().loadYaml("pipelines:\n  p:\n    stages: [a, b, c, d]\n");
      } catch (caught) {
        return caught as PipelineConfigError;
      }
    })();
    expect(error?.message).toBe(
      '4 problems in the pipeline config: pipelines.p.stages.0: unknown stage "a" (known: prepare, loadData, train); ' +
        'pipelines.p.stages.1: unknown stage "b" (known: prepare, loadData, train); ' +
        'pipelines.p.stages.2: unknown stage "c" (known: prepare, loadData, train); and 1 more',
    );
    expect(error?.message).not.toContain("\n");
  });

  it("checks a config passed to build directly", () => {
    const issues = issuesOf(() =>
      registry().build("adhoc", { stages: [{ stage: "train", options: { epochs: 2 } }] }, { store: new MemoryRunStore() }),
    );
    expect(issues).toEqual([{ path: "pipelines.adhoc.stages.0.options.optimizer", message: expect.any(String) }]);
  });

  it("rejects a file without pipelines, or an empty stage list", () => {
    expect(issuesOf(() => registry().loadYaml("")).map((issue) => issue.path)).toEqual([""]);
    expect(issuesOf(() => registry().loadYaml("pipelines:\n  p:\n    stages: []\n"))[0]?.path).toBe("pipelines.p.stages");
  });
});
