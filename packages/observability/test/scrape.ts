/** One sample of a Prometheus text-format scrape: its metric name, labels and value. */
export interface ScrapedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a scrape (comment lines left out). */
export function parseScrape(text: string): ScrapedSample[] {
  return text.split("\n").flatMap((line) => {
    const match = line.match(sampleLine);
    if (!match || line.startsWith("#")) return [];
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(labelPair)].map((pair) => [pair[1], pair[2]]));
    return [{ name: match[1] as string, labels, value: Number(match[3]) }];
  });
}

/** The value of the sample named `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(samples: ScrapedSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))?.value;
}
