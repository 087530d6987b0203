"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorBanner } from "@/components/error-banner";
import { Field } from "@/components/form-field";
import { SubmitRow } from "@/components/submit-row";
import { fieldErrors, unplacedError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { NewTokenBox } from "./new-token-box";
import type { UserRow } from "./types";

const today = () => new Date().toISOString().slice(0, 10);

/** Name and optional expiry; admins may create the token for another user. The secret is shown once. */
export function CreateTokenForm({ users, me }: { users?: UserRow[]; me: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [expires, setExpires] = useState("");
  const [userId, setUserId] = useState(me);
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const create = useMutation(
    trpc.users.createToken.mutationOptions({
      onSuccess: ({ token }, input) => {
        setCreated({ name: input.name, token });
        setName("");
        setExpires("");
        return queryClient.invalidateQueries({ queryKey: trpc.users.tokens.pathKey() });
      },
    }),
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const errors = { ...(create.error ? fieldErrors(create.error) : {}), ...localErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = "required";
    setLocalErrors(found);
    if (Object.keys(found).length) {
      create.reset();
      return;
    }
    create.mutate({
      name: name.trim(),
      // The end of the chosen day, in this browser's time zone.
      expiresAt: expires ? new Date(`${expires}T23:59:59`) : undefined,
      userId: userId === me ? undefined : userId,
    });
  };

  return (
    <>
      {created && <NewTokenBox name={created.name} token={created.token} onDone={() => setCreated(undefined)} />}
      <form onSubmit={submit} noValidate aria-label="Create an API token">
        <div className="form-fields">
          <Field id="token-name" label="Token name" error={errors.name} hint="e.g. laptop CLI, CI pipeline">
            {(control) => <input {...control} type="text" maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>
          <Field id="token-expires" label="Expires" error={errors.expiresAt} hint="optional; end of that day">
            {(control) => (
              <input {...control} type="date" min={today()} value={expires} onChange={(event) => setExpires(event.target.value)} />
            )}
          </Field>
          {users && (
            <Field id="token-user" label="For user" error={errors.userId}>
              {(control) => (
                <select {...control} value={userId} onChange={(event) => setUserId(event.target.value)}>
                  {users.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.email}
                      {u.id === me ? " (you)" : ""}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
        <ErrorBanner error={unplacedError(create.error, errors, ["name", "expiresAt", "userId"])} />
        <SubmitRow pending={create.isPending} busyLabel="Creating…">
          Create token
        </SubmitRow>
      </form>
    </>
  );
}
