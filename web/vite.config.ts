/**
 * Builds the web app into `web/dist`, which `sputnik serve` serves at `/`. Everything ships in the
 * build (fonts, icons, KaTeX, highlight.js): the app never loads anything from another origin.
 * `npm run dev:web` proxies the API to a server on :8080 for live editing.
 */
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const apiTarget = process.env.SPUTNIK_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The Markdown renderer (KaTeX, highlight.js) and the admin pages load on demand.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(["/v1", "/api", "/admin", "/user", "/health", "/version"].map((prefix) => [prefix, { target: apiTarget }])),
  },
});
