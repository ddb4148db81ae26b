// Where the built UI lives, and a page to show when it was not built yet. Shared by both host apps.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const UI_DIR = fileURLToPath(new URL('./dist/', import.meta.url));
export const uiBuilt = () => existsSync(new URL('./dist/index.html', import.meta.url));
export const NOT_BUILT_PAGE = `<!doctype html><html lang="fa" dir="rtl"><meta charset="utf-8"><title>Persian Hub</title>
<body style="font-family:sans-serif;padding:2rem"><h1>هاب فارسی</h1>
<p>رابط کاربری هنوز ساخته نشده است: <code dir="ltr">npm run build</code></p>
<p dir="ltr">The UI is not built yet: run <code>npm run build</code>. The REST API is at <a href="/api/sources/models/available">/api/sources</a>.</p></body></html>`;
