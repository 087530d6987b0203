"use client";
import { type FocusEvent, type ReactNode, useEffect, useRef, useState } from "react";
import styles from "./scroll-region.module.css";

/**
 * Brings a control focused inside a scroll box wholly into view (within the box's
 * scroll-padding, clear of sticky headers). Chromium leaves a control that is half
 * outside the box where it also runs past the window's edge.
 */
export function revealFocused(event: FocusEvent<HTMLElement>): void {
  if (event.target !== event.currentTarget) event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
}

/**
 * A box that scrolls content too wide (or tall) for it, such as a table.
 * While the content overflows, the box is a named region in the tab order,
 * so a keyboard user can focus it and scroll it with the arrow keys; a shadow
 * at an edge says there is more that way.
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const box = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    for (const child of element.children) resize.observe(child);
    return () => resize.disconnect();
  }, []);
  // A named <section> is a region landmark; unnamed while nothing scrolls, it is a plain box out of the tab order.
  return (
    <section
      ref={box}
      className={className ? `${styles.region} ${className}` : styles.region}
      onFocus={revealFocused}
      aria-label={scrolls ? label : undefined}
      tabIndex={scrolls ? 0 : undefined}
    >
      {children}
    </section>
  );
}
