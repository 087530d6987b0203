"use client";
import { useSyncExternalStore } from "react";

export type ColorScheme = "light" | "dark";

const darkQuery = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const media = matchMedia(darkQuery);
  const observer = new MutationObserver(onChange);
  media.addEventListener("change", onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    media.removeEventListener("change", onChange);
    observer.disconnect();
  };
}

function current(): ColorScheme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return matchMedia(darkQuery).matches ? "dark" : "light";
}

/** The theme in effect (the user's pick, else the OS's): canvas charts redraw with it, CSS alone cannot reach them. */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, current, () => "light");
}
