import superjson from "superjson";

/** The status of an exchange whose connection broke before an answer came. */
export const noAnswer = 0;

/** One request of the fuzz run and what came back. */
export interface Exchange {
  label: string;
  status: number;
  body: string;
}

/** Why an answer is a failure: a server error (503 too: the database is up), or a leak of the server's insides. */
export function problemOf({ status, body }: Exchange): string | undefined {
  if (status === noAnswer) return "got no answer (the connection was dropped)";
  if (status >= 500) return `answered ${status}`;
  if (/"httpStatus":5\d\d/.test(body)) return "sent a 5xx error in its event stream";
  const leaks: [RegExp, string][] = [
    [/\n\s*at |^ {4}at /m, "a stack trace"],
    [/postgres(ql)?:\/\//, "a connection string"],
    [/\b(\d{1,3}(\.\d{1,3}){3}|localhost):\d{2,5}\b/, "a host:port"],
    [/(^|[\s"'(])\/(work|tmp|home|usr|var|root)\//, "an absolute file path"],
  ];
  const leak = leaks.find(([pattern]) => pattern.test(body));
  return leak ? `leaked ${leak[1]}` : undefined;
}

/** As tRPC's client encodes input, or as plain JSON where superjson refuses it (a `__proto__` key): a hostile client sends it anyway. */
function encode(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input }, (_, value) => (typeof value === "bigint" ? String(value) : value));
  }
}

/** A procedure call as tRPC's httpLink (queries, mutations) or httpSubscriptionLink (SSE) sends it. */
export async function callProcedure(
  baseUrl: string,
  path: string,
  type: string,
  input: unknown,
  headers: Record<string, string>,
  sseMs: number,
): Promise<Omit<Exchange, "label">> {
  const url = `${baseUrl}/${path}`;
  if (type === "mutation") {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: encode(input) });
    return { status: response.status, body: await response.text() };
  }
  const query = input === undefined ? url : `${url}?input=${encodeURIComponent(encode(input))}`;
  if (type === "query") {
    const response = await fetch(query, { headers });
    return { status: response.status, body: await response.text() };
  }
  return readEventStream(query, headers, sseMs);
}

/** An SSE answer, read for `ms` after its headers came: a subscription that waits for events is cut off, keeping what it sent. */
async function readEventStream(url: string, headers: Record<string, string>, ms: number): Promise<Omit<Exchange, "label">> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: abort.signal });
  const timer = setTimeout(() => abort.abort(), ms);
  let body = "";
  try {
    const decoder = new TextDecoder();
    for await (const chunk of response.body ?? []) body += decoder.decode(chunk as Uint8Array, { stream: true });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return { status: response.status, body };
}

/** Requests no tRPC client would send: broken JSON and superjson, odd methods and paths, bad artifact ids. */
export function malformedRequests(apiUrl: string, artifactId: string): { label: string; url: string; init: RequestInit }[] {
  const origin = apiUrl.replace(/\/api\/trpc$/, "");
  const post = (path: string, body: string, contentType = "application/json") => ({
    label: `POST ${path} ${body.slice(0, 80)}`,
    url: `${apiUrl}/${path}`,
    init: { method: "POST", headers: { "content-type": contentType }, body },
  });
  const get = (path: string) => ({ label: `GET ${path.slice(0, 120)}`, url: `${origin}${path}`, init: {} });
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  return [
    post("experiments.create", "{"),
    post("experiments.create", '{"json":{"__proto__":{"polluted":true},"name":"x"}}'),
    post("experiments.create", '{"json":{"name":"x"},"meta":{"values":{"__proto__.polluted":["undefined"]}}}'),
    post("experiments.create", '{"json":{"name":"x"},"meta":{"values":{"name":["bigint"]}}}'),
    post("experiments.create", '{"json":{"name":"x"},"meta":{"values":{"name":[["custom","nope"]]}}}'),
    post("experiments.create", '{"json":{"name":"x"},"meta":{"values":{"name":["Date"]}}}'),
    post("experiments.create", '{"json":{"name":"x"},"meta":{"values":"name"}}'),
    post("experiments.create", `{"json":${deep}}`),
    post("experiments.create", "name=x", "application/x-www-form-urlencoded"),
    post("experiments.create", "x", "text/plain"),
    post("training.list", '{"json":{}}'),
    post("nope.nothing", '{"json":{}}'),
    post("experiments.create,users.me?batch=1", '{"0":{"json":{"name":"x"}},"1":"x"}'),
    get("/api/trpc/training.list?input=%ZZ"),
    get('/api/trpc/training.list?input={"json":'),
    get("/api/trpc/training.list?batch=1&input=[1,2]"),
    get("/api/trpc/experiments.create?input={}"),
    get("/api/trpc/%ZZ"),
    get("/api/trpc/"),
    get(`/api/artifacts/${"-".repeat(36)}`),
    get("/api/artifacts/00000000-0000-0000-0000-000000000000"),
    get(`/api/artifacts/${crypto.randomUUID()}`),
    get(`/api/artifacts/${artifactId}`),
    get("/api/artifacts/%ZZ"),
    get("/api/artifacts/"),
    { label: "DELETE training.list", url: `${apiUrl}/training.list`, init: { method: "DELETE" } },
    { label: "PUT experiments.create", url: `${apiUrl}/experiments.create`, init: { method: "PUT", body: "{}" } },
  ];
}
