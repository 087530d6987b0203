export const e2ePort = Number(process.env.HINDCAST_E2E_PORT ?? 3217);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;

/** Accounts the global setup creates, one per role. */
export const accounts = {
  admin: { email: "admin@hindcast.local", password: "e2e-admin-password" },
  operator: { email: "operator@example.com", password: "e2e-operator-password" },
  viewer: { email: "viewer@example.com", password: "e2e-viewer-password" },
} as const;
export type Role = keyof typeof accounts;

/**
 * Debian's Chromium (never a downloaded browser). Root needs --no-sandbox;
 * --enable-unsafe-webgpu gives headless Chromium a SwiftShader WebGPU adapter.
 */
export function chromiumLaunchOptions({ webgpu = true } = {}) {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage", ...(webgpu ? ["--enable-unsafe-webgpu"] : [])],
  };
}
