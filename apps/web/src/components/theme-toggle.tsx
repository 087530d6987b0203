"use client";
import { useEffect, useState } from "react";

type Theme = "system" | "light" | "dark";
const order: Theme[] = ["system", "light", "dark"];

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => setTheme((localStorage.getItem("hindcast-theme") as Theme | null) ?? "system"), []);
  const next = () => {
    const value = order[(order.indexOf(theme) + 1) % order.length] as Theme;
    setTheme(value);
    if (value === "system") {
      localStorage.removeItem("hindcast-theme");
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem("hindcast-theme", value);
      document.documentElement.dataset.theme = value;
    }
  };
  return (
    <button type="button" onClick={next} aria-label={`Theme: ${theme}; switch`}>
      Theme: {theme}
    </button>
  );
}
