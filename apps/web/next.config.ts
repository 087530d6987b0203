import type { NextConfig } from "next";

const config: NextConfig = {
  // Our workspace packages are TypeScript sources; Next compiles the parts the pages import.
  transpilePackages: [
    "@hindcast/api",
    "@hindcast/contracts",
    "@hindcast/models",
    "@hindcast/engine",
    "@hindcast/datasets",
    "@hindcast/sweeps",
  ],
  // Separate output folders let several servers (tests, benches) build side by side.
  distDir: process.env.HINDCAST_WEB_DIST ?? ".next",
  // `npm run typecheck` (turbo) checks the app; skipping it here halves the build.
  typescript: { ignoreBuildErrors: true },
  devIndicators: false,
  poweredByHeader: false,
};

export default config;
