// Plain JavaScript (checked by tsc through JSDoc): the command tree (main.mjs) offers these before TypeScript is loaded.

/** `train list --sort` columns besides the headline metrics' keys, as the API sorts them. */
export const listSorts = /** @type {const} */ ({
  created: { by: "createdAt", direction: "desc" },
  "vs-naive": { by: "skill", direction: "desc" },
  "vs-best": { by: "skillVsBest", direction: "desc" },
});

/**
 * Every `--sort` name: the columns above, then each headline metric of the
 * catalog by its key (the catalog is TypeScript: main.mjs passes it once loaded).
 * @param {readonly { key: string }[]} headline
 * @returns {string[]}
 */
export const listSortNames = (headline) => [...Object.keys(listSorts), ...headline.map((metric) => metric.key)];
