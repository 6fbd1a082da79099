/** Markdown with the renderer loaded lazily; until it arrives the text shows as plain paragraphs. */
import { lazy, Suspense } from "react";

const loadRenderer = () => import("./markdown-renderer.tsx");
const MarkdownRenderer = lazy(loadRenderer);

/** Starts loading the renderer early (when the browser is idle), so answers rarely show the fallback. */
export function preloadMarkdown(): void {
  const start = () => void loadRenderer();
  if ("requestIdleCallback" in window) requestIdleCallback(start);
  else setTimeout(start, 200);
}

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Suspense fallback={<div className="plain-text">{text}</div>}>
        <MarkdownRenderer text={text} />
      </Suspense>
    </div>
  );
}
