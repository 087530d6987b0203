"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ErrorBanner } from "@/components/error-banner";
import { Field } from "@/components/form-field";
import { SubmitRow } from "@/components/submit-row";
import { fieldErrors, unplacedError } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./tokens.module.css";
import { roles, type UserRow } from "./types";

type Role = UserRow["role"];

function RoleOptions() {
  return roles.map((r) => (
    <option key={r} value={r}>
      {r.toLowerCase()}
    </option>
  ));
}

function CreateUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const empty = { email: "", name: "", role: "VIEWER" as Role, password: "" };
  const [values, setValues] = useState(empty);
  const [createdEmail, setCreatedEmail] = useState<string>();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (_, input) => {
        setCreatedEmail(`${input.email} (${input.role.toLowerCase()})`);
        setValues(empty);
        return queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const errors = create.error ? fieldErrors(create.error) : {};
  const edit = (key: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreatedEmail(undefined);
    // The server's schema checks every field at once; its issues land next to each field.
    create.mutate({ email: values.email.trim(), name: values.name.trim() || undefined, role: values.role, password: values.password });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Create a user">
      <div className="form-fields">
        <Field id="user-email" label="Email" error={errors.email}>
          {(control) => <input {...control} type="email" autoComplete="off" value={values.email} onChange={edit("email")} />}
        </Field>
        <Field id="user-name" label="Name" error={errors.name} hint="optional">
          {(control) => <input {...control} type="text" value={values.name} onChange={edit("name")} />}
        </Field>
        <Field id="user-role" label="Role" error={errors.role}>
          {(control) => (
            <select {...control} value={values.role} onChange={edit("role")}>
              <RoleOptions />
            </select>
          )}
        </Field>
        <Field id="user-password" label="Password" error={errors.password} hint="at least 12 characters">
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" value={values.password} onChange={edit("password")} />
          )}
        </Field>
      </div>
      <ErrorBanner error={unplacedError(create.error, errors, ["email", "name", "role", "password"])} />
      {createdEmail && (
        <p className="banner-ok" role="status">
          Created {createdEmail}.
        </p>
      )}
      <SubmitRow pending={create.isPending} busyLabel="Creating…">
        Create user
      </SubmitRow>
    </form>
  );
}

/** Admins: every user with role and access controls, and a form for new users. */
export function UsersAdmin({ users, me }: { users: UserRow[]; me: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [disabling, setDisabling] = useState<UserRow>();
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: () => {
        setDisabling(undefined);
        return queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );

  return (
    <>
      <ErrorBanner error={setRole.error} />
      <div className={styles.scroll}>
        <table data-testid="user-list">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Access</th>
              <th>Created</th>
              <th>Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const self = user.id === me;
              return (
                <tr key={user.id} data-user={user.email}>
                  <td>
                    {user.email}
                    {self && <span className="muted"> (you)</span>}
                  </td>
                  <td>{user.name ?? "—"}</td>
                  <td>
                    <select
                      aria-label={`Role of ${user.email}`}
                      value={user.role}
                      disabled={self || setRole.isPending}
                      title={self ? "Ask another admin to change your own role" : undefined}
                      onChange={(event) => setRole.mutate({ userId: user.id, role: event.target.value as Role })}
                    >
                      <RoleOptions />
                    </select>
                  </td>
                  <td>
                    {user.disabled ? "disabled " : "active "}
                    {!self && (
                      <button
                        type="button"
                        disabled={setRole.isPending}
                        onClick={() =>
                          user.disabled ? setRole.mutate({ userId: user.id, role: user.role, disabled: false }) : setDisabling(user)
                        }
                      >
                        {user.disabled ? `Enable` : `Disable`}
                      </button>
                    )}
                  </td>
                  <td>{formatDate(user.createdAt)}</td>
                  <td>{user.lastLoginAt ? formatDate(user.lastLoginAt) : "never"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={disabling !== undefined}
        title={`Disable ${disabling?.email ?? ""}?`}
        confirmLabel="Disable user"
        danger
        confirmDisabled={setRole.isPending}
        onConfirm={() => disabling && setRole.mutate({ userId: disabling.id, role: disabling.role, disabled: true })}
        onClose={() => setDisabling(undefined)}
      >
        <p>They cannot sign in, and their API tokens stop working until an admin enables them again.</p>
      </ConfirmDialog>
      <h3>New user</h3>
      <CreateUserForm />
    </>
  );
}
