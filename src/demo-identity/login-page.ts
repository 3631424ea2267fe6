/** The demo provider's login form: one page, no scripts, nothing loaded from elsewhere. */

export interface LoginPage {
  /** Where the form posts (the interaction's login endpoint). */
  readonly action: string;
  readonly clientName: string;
  /** The login name to fill in again after a failed attempt. */
  readonly login?: string;
  /** Shown above the form after a failed attempt. */
  readonly error?: string;
}

/** Field names of the form, shared with the headless login so both read the same page. */
export const LOGIN_FIELDS = { login: "login", password: "password" } as const;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export function renderLoginPage(page: LoginPage): string {
  const error = page.error ? `<p class="error" role="alert">${escapeHtml(page.error)}</p>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to ${escapeHtml(page.clientName)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Sign in to ${escapeHtml(page.clientName)}</h1>
<p>Fleetgraph demo identity provider: sign in as admin, alice, bob, carol or mallory; each
password is the user name followed by "-demo".</p>
${error}
<form method="post" action="${escapeHtml(page.action)}" autocomplete="off">
<label>User <input name="${LOGIN_FIELDS.login}" value="${escapeHtml(page.login ?? "")}" required autofocus></label>
<label>Password <input type="password" name="${LOGIN_FIELDS.password}" required></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
