// `npm run build:web`: builds the dashboard when its sources changed since the last build.
import { ensureWebBuild } from "@hindcast/web/server";

ensureWebBuild();
