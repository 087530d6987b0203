import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Dataset } from "@hindcast/models";
import { BUILTIN_RECIPES, type BuiltinDatasetInfo, type BuiltinRecipe } from "./builtin-catalog";
import { importCsv } from "./csv-import";

export const builtinDatasets: readonly BuiltinDatasetInfo[] = BUILTIN_RECIPES.map((recipe) => recipe.info);

const loaded = new Map<string, Promise<Dataset>>();

/** Loads a built-in dataset from the vega-datasets package; each call returns a fresh copy of the cached dataset. */
export async function loadBuiltinDataset(name: string): Promise<Dataset> {
  const recipe = BUILTIN_RECIPES.find((candidate) => candidate.info.name === name);
  if (!recipe) {
    throw new Error(`Unknown built-in dataset "${name}"; valid names are: ${builtinDatasets.map((known) => known.name).join(", ")}.`);
  }
  let loading = loaded.get(name);
  if (!loading) {
    loading = readBuiltin(recipe);
    loaded.set(name, loading);
    loading.catch(() => loaded.delete(name));
  }
  return structuredClone(await loading);
}

async function readBuiltin({ info, pivotBy, renames = {} }: BuiltinRecipe): Promise<Dataset> {
  const text = await readFile(path.join(vegaDatasetsDataFolder(), info.file), "utf8");
  const { dataset } = importCsv(text, {
    name: info.name,
    description: info.description,
    source: `vega-datasets/${info.file}`,
    pivotBy,
  });
  return {
    ...dataset,
    columns: Object.fromEntries(Object.entries(dataset.columns).map(([column, values]) => [renames[column] ?? column, values])),
  };
}

function vegaDatasetsDataFolder(): string {
  // The package exports only its build entry (build/index.js), not package.json, so step up from there.
  const entry = createRequire(import.meta.url).resolve("vega-datasets");
  return path.join(path.dirname(entry), "..", "data");
}
