"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { isAuthError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ThemeToggle } from "./theme-toggle";

export interface CurrentUser {
  id: string;
  email: string;
  role: "VIEWER" | "OPERATOR" | "ADMIN";
}

const UserContext = createContext<CurrentUser | undefined>(undefined);

/** The signed-in user; only inside the dashboard shell. */
export function useCurrentUser(): CurrentUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useCurrentUser outside the dashboard shell");
  return user;
}

/** Operators and admins may start, cancel and retry; the server checks it again. */
export const canOperate = (user: CurrentUser) => user.role !== "VIEWER";

const links = [
  { href: "/runs", label: "Runs" },
  { href: "/sweeps", label: "Sweeps" },
  { href: "/new", label: "New training" },
  { href: "/preview", label: "Preview" },
  { href: "/datasets", label: "Datasets" },
  { href: "/workers", label: "Workers" },
  { href: "/tokens", label: "Tokens" },
];

export function AppShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const me = useQuery(trpc.users.me.queryOptions(undefined, { staleTime: 60_000 }));
  const logout = useMutation(trpc.users.logout.mutationOptions({ onSettled: () => router.replace("/login") }));

  useEffect(() => {
    if (isAuthError(me.error)) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [me.error, pathname, router]);

  if (!me.data) {
    return (
      <main className="main muted">{me.error && !isAuthError(me.error) ? `Cannot reach the API: ${me.error.message}` : "Loading…"}</main>
    );
  }
  return (
    <UserContext.Provider value={me.data}>
      <div className="shell">
        <nav className="nav" aria-label="Main">
          <span className="brand">Hindcast</span>
          {links.map((link) => (
            <Link key={link.href} href={link.href} aria-current={pathname.startsWith(link.href) ? "page" : undefined}>
              {link.label}
            </Link>
          ))}
          <span className="spacer" />
          <span className="muted" data-testid="current-user">
            {me.data.email} ({me.data.role.toLowerCase()})
          </span>
          <ThemeToggle />
          <button type="button" onClick={() => logout.mutate()}>
            Sign out
          </button>
        </nav>
        <main className="main">{children}</main>
      </div>
    </UserContext.Provider>
  );
}
