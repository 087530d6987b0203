// Plain JavaScript (checked by tsc through JSDoc): the command tree (main.mjs) offers these before TypeScript is loaded.

/** `train list --sort` columns, as the API sorts them. */
export const listSorts = /** @type {const} */ ({
  created: { by: "createdAt", direction: "desc" },
  "vs-naive": { by: "skill", direction: "desc" },
  "vs-best": { by: "skillVsBest", direction: "desc" },
});
