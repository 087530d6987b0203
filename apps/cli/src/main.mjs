// The command tree and its help, in plain JavaScript (checked by tsc through
// JSDoc) so that `hindcast --help` starts in a bare Node.js. The commands are
// TypeScript modules: tsx is registered (about 300 ms) and a command's module
// loaded (with the tRPC client, yaml, the models or the engine) only when
// that command runs, so each command pays for its own imports alone.
import { Command, CommanderError, Option } from "commander";
import { CliError, ExitCode } from "./errors.mjs";
import { listSortNames } from "./list-sorts.mjs";

/** @type {Promise<unknown> | undefined} */
let typescript;
/**
 * A command's TypeScript module, loaded through tsx.
 * @template T
 * @param {() => Promise<T>} load
 * @returns {Promise<T>}
 */
async function command(load) {
  typescript ??= import("tsx/esm/api").then(({ register }) => register());
  await typescript;
  return load();
}

const program = new Command("hindcast").description("Start, watch, cancel and compare Hindcast trainings").exitOverride();
program.option(
  "--server <url>",
  "the Hindcast server: the dashboard's address, e.g. http://127.0.0.1:3000 (default: HINDCAST_SERVER, else the one you logged in to, else http://127.0.0.1:3000)",
);

/** @returns {string | undefined} */
const server = () => program.opts().server;
/** @param {number | undefined | void} code what the command answered; nothing is success */
const exitWith = (code) => {
  process.exitCode = code ?? ExitCode.ok;
};
const runIdHelp = "a run id, or its first characters (at least 4) when they match one run";

program
  .command("login")
  .description("store an API token for this machine: pass one, or sign in with email and password")
  .option("--token <token>", "an API token (hc_...) an admin created for you")
  .option("--email <email>", "sign in with your email; the password comes from HINDCAST_PASSWORD or a prompt")
  .action(async (options) => exitWith(await (await command(() => import("./commands/login.js"))).login(server(), options)));

const train = program.command("train").description("trainings");

const pipelineOption = new Option("--pipeline <name>", "pipeline");
const statusOption = new Option("--status <status...>", "runs with any of these statuses");
const sortOption = new Option("--sort <column>");
// The pipelines, statuses and headline metrics are the contracts' (TypeScript): loaded when a train command runs or
// shows its help, so that `hindcast --help` still starts without tsx.
train.hook("preSubcommand", async () => {
  const { defaultPipeline, metricCatalog, pipelineNames, runStatuses } = await command(() => import("@hindcast/contracts"));
  pipelineOption.choices(pipelineNames);
  pipelineOption.description = `the pipeline (default: ${defaultPipeline})`;
  statusOption.description = `runs with any of these statuses: ${runStatuses.map((status) => status.toLowerCase()).join(", ")}`;
  sortOption.choices(listSortNames(metricCatalog.headline));
  sortOption.description =
    "created: newest first; vs-naive, vs-best: best RMSE skill against the naive forecast, or the best classical baseline, first; a headline metric's key: its best first (runs without one last)";
});

train
  .command("start")
  .description("queue a training from a YAML or JSON spec file")
  .argument("<spec>", "the spec file")
  .option("--set <key=value...>", "override spec values, e.g. --set train.epochs=5", [])
  .addOption(pipelineOption)
  .option("--name <name>", "run name")
  .option("--tag <tag...>", "tags", [])
  .option("--experiment <name>", "file the run under this experiment (created if missing)")
  .option("--gpu", "only a GPU worker may take it", false)
  .option("--watch", "follow the run until it ends", false)
  .option("--json", "print JSON", false)
  .action(async (file, options) =>
    exitWith(await (await command(() => import("./commands/start.js"))).startTraining(server(), file, options)),
  );

train
  .command("watch")
  .description("follow a run: progress, stage, ETA, samples/s, latest metrics")
  .argument("<id>", runIdHelp)
  .action(async (id) => exitWith(await (await command(() => import("./commands/watch.js"))).watchTraining(server(), id)));

train
  .command("cancel")
  .description("cancel a queued or running training")
  .argument("<id>", runIdHelp)
  .option("--json", "print JSON", false)
  .action(async (id, options) =>
    exitWith(await (await command(() => import("./commands/cancel.js"))).cancelTraining(server(), id, options)),
  );

train
  .command("list")
  .description("list trainings, newest first, with their RMSE skill against the naive forecast and the best classical baseline")
  .addOption(statusOption)
  .option("--tag <tag...>", "runs carrying all these tags")
  .option("--limit <n>", "how many, 1 to 500", "50")
  .addOption(new Option("--all", "every matching run, fetched page by page (for scripts)").default(false).conflicts("limit"))
  .addOption(sortOption)
  .addOption(new Option("--best", "the same as --sort vs-naive").default(false).conflicts("sort"))
  .option("--json", "print JSON", false)
  .action(async (options) => exitWith(await (await command(() => import("./commands/list.js"))).listTrainings(server(), options)));

train
  .command("replay")
  .description(
    "predict a finished run's retrodiction again here with its saved model(s); exit 1 when a window differs from the run's numbers",
  )
  .argument("<id>", runIdHelp)
  .option("--backend <names...>", "backends to try, best first (tensorflow webgpu wasm cpu)")
  .option("--tolerance <fraction>", "largest relative RMSE difference per window", "0.005")
  .option("--json", "print JSON", false)
  .action(async (id, options) =>
    exitWith(await (await command(() => import("./commands/replay.js"))).replayTraining(server(), id, options)),
  );

train
  .command("compare")
  .description(
    "runs side by side: the parameters that differ, the retrodiction's RMSE and skill against the naive forecast and the best classical baseline, each baseline's RMSE, and the last, min and max of every metric",
  )
  .argument("<ids...>", "two or more run ids, or their first characters (at least 4)")
  .option("--json", "print JSON", false)
  .action(async (ids, options) =>
    exitWith(await (await command(() => import("./commands/compare.js"))).compareRuns(server(), ids, options)),
  );

const runIdsHelp = "run ids, or their first characters (at least 4) when they match one run each";
program
  .command("archive")
  .description("archive runs: they leave the runs list (its Show archived filter brings them back) and are kept whole")
  .argument("<ids...>", runIdsHelp)
  .option("--json", "print JSON", false)
  .action(async (ids, options) =>
    exitWith(await (await command(() => import("./commands/archive.js"))).archiveRuns(server(), ids, options)),
  );

program
  .command("restore")
  .description("bring archived runs back into the runs list")
  .argument("<ids...>", runIdsHelp)
  .option("--json", "print JSON", false)
  .action(async (ids, options) =>
    exitWith(await (await command(() => import("./commands/archive.js"))).restoreRuns(server(), ids, options)),
  );

program
  .command("delete")
  .description(
    "delete finished runs for good, with their child runs, metric points, logs and artifacts: prints what it frees and asks first (admins)",
  )
  .argument("<ids...>", runIdsHelp)
  .option("--yes", "delete without asking", false)
  .option("--json", "print JSON", false)
  .action(async (ids, options) => exitWith(await (await command(() => import("./commands/delete.js"))).deleteRuns(server(), ids, options)));

program
  .command("note")
  .description('set a run\'s free-text note ("" clears it)')
  .argument("<id>", runIdHelp)
  .argument("<text>", "the note, plain text (up to 10,000 characters)")
  .action(async (id, text) => exitWith(await (await command(() => import("./commands/note.js"))).setNote(server(), id, text)));

const exports = program.command("export").description("CSV to stdout: the runs table, a run's metric series, a sweep's trials");
exports
  .command("runs")
  .description("the runs matching the filters, newest first: the table's usual columns, or with --all every field, param and metric")
  .option("--all", "every column: run fields, headline metrics, every param and the last/min/max of every metric", false)
  .option("--status <status...>", "runs with any of these statuses")
  .option("--tag <tag...>", "runs carrying all these tags")
  .addOption(new Option("--archived <which>", "archived runs").choices(["hide", "only", "include"]).default("hide"))
  .action(async (options) => exitWith(await (await command(() => import("./commands/export.js"))).exportRuns(server(), options)));
exports
  .command("metrics")
  .description("every point of a run's metric series at full resolution: run_id,key,step,value,wall_time")
  .argument("<run>", runIdHelp)
  .option("--key <key...>", "only these metrics")
  .action(async (run, options) =>
    exitWith(await (await command(() => import("./commands/export.js"))).exportMetrics(server(), run, options)),
  );
exports
  .command("sweep")
  .description("a sweep's trials: number, run, status, the searched values, the objective and the rung reached")
  .argument("<id>", "the sweep's id")
  .action(async (id) => exitWith(await (await command(() => import("./commands/export.js"))).exportSweep(server(), id)));

const sweep = program.command("sweep").description("hyperparameter sweeps: trials are runs on the fleet, stopped early by ASHA");
const sweepModule = () => command(() => import("./commands/sweep.js"));
sweep
  .command("start")
  .description("start a sweep from a YAML or JSON file: base (a training spec), space, method, budget, metric, earlyStopping")
  .argument("<file>", "the sweep file")
  .option("--watch", "follow the sweep until it ends", false)
  .option("--json", "print JSON", false)
  .action(async (file, options) => exitWith(await (await sweepModule()).startSweep(server(), file, options)));
sweep
  .command("list")
  .description("sweeps, newest first")
  .option("--json", "print JSON", false)
  .action(async (options) => exitWith(await (await sweepModule()).listSweeps(server(), options)));
sweep
  .command("watch")
  .description("follow a sweep until it ends: trials by status and the best so far")
  .argument("<id>", "a sweep id")
  .action(async (id) => exitWith(await (await sweepModule()).watchSweep(server(), id)));
for (const [action, description] of /** @type {[string, string][]} */ ([
  ["pause", "start no new trials (running ones go on)"],
  ["resume", "start trials again"],
  ["cancel", "end the sweep and cancel its queued and running trials"],
])) {
  sweep
    .command(action)
    .description(description)
    .argument("<id>", "a sweep id")
    .option("--json", "print JSON", false)
    .action(async (id, options) =>
      exitWith(await (await sweepModule()).changeSweep(server(), /** @type {"pause" | "resume" | "cancel"} */ (action), id, options)),
    );
}
sweep
  .command("best")
  .description("the best trial so far: its objective and config")
  .argument("<id>", "a sweep id")
  .option("--json", "print JSON", false)
  .action(async (id, options) => exitWith(await (await sweepModule()).bestOfSweep(server(), id, options)));

const datasets = program.command("datasets").description("datasets");
datasets
  .command("list")
  .option("--json", "print JSON", false)
  .action(async (options) => exitWith(await (await command(() => import("./commands/datasets.js"))).listDatasets(server(), options)));

datasets
  .command("import")
  .description("import a CSV file as a dataset: one date column and numeric columns (or long format with --pivot-by)")
  .argument("<csv>", "the CSV file")
  .option("--name <name>", "dataset name (default: the file name without .csv)")
  .option("--description <text>", "what the data is")
  .option("--date-column <column>", "the column holding dates (default: found by its values)")
  .option("--pivot-by <column>", "long format: the column whose values become variables")
  .addOption(new Option("--on-unsorted <what>", "rows out of date order").choices(["sort", "reject"]).default("sort"))
  // The server checks the format against its own list (so the list lives in one place).
  .option(
    "--date-format <format>",
    "how to read dates like 01/02/2021 that no row settles: MM/DD/YYYY or DD/MM/YYYY (default: the rows settle it)",
  )
  .option("--json", "print JSON", false)
  .action(async (file, options) =>
    exitWith(await (await command(() => import("./commands/datasets.js"))).importDataset(server(), file, options)),
  );

program
  .command("groups")
  .description("runs grouped by a param, tag, experiment or run group: each group's count, and each metric's mean ± std and best")
  .requiredOption("--by <what>", "a spec key (model.kind, train.learningRate), tag, experiment or runGroup (the runs of one seed list)")
  .option(
    "--metric <key...>",
    "headline metrics (skill_vs_best, rmse, ...) or tracked metrics, with :min or :max for that stat (val_loss:min); default: the skills",
  )
  .option("--status <status...>", "runs with any of these statuses (succeeded, failed, ...)")
  .option("--tag <tag...>", "runs carrying all these tags")
  .option("--json", "print JSON", false)
  .action(async (options) => exitWith(await (await command(() => import("./commands/groups.js"))).listGroups(server(), options)));

program
  .command("workers")
  .description("the worker fleet")
  .option("--json", "print JSON", false)
  .action(async (options) => exitWith(await (await command(() => import("./commands/workers.js"))).listWorkers(server(), options)));

/**
 * Resolves once everything written to `stream` so far has reached the OS.
 * @param {NodeJS.WriteStream} stream
 * @returns {Promise<void>}
 */
const flushed = (stream) => new Promise((resolve) => stream.write("", () => resolve()));

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on("error", (/** @type {NodeJS.ErrnoException} */ error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit();
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    exitWith(error.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
  } else {
    process.stderr.write(`hindcast: ${error instanceof CliError ? error.message : String(/** @type {Error} */ (error)?.stack ?? error)}\n`);
    exitWith(error instanceof CliError ? error.exitCode : ExitCode.usage);
  }
}
// Exiting at once would cut off what a pipe has not taken yet (its buffer holds 64 KiB): wait until it has.
// Then exit rather than wait for the event loop: a closed live stream or a backend may keep a handle open.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();
