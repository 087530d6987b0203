import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "uplot/dist/uPlot.min.css";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = { title: "Hindcast", description: "Train, watch and compare time-series retrodiction models" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Sets the theme before first paint, so a dark-mode user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem("hindcast-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, needed before hydration */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
