/**
 * The Markdown renderer, loaded on demand (it brings KaTeX and highlight.js): GitHub-flavoured
 * Markdown (tables, task lists, strikethrough), `$…$` / `$$…$$` math, highlighted code blocks
 * with a language label and a copy button. Raw HTML in answers is shown as text, never run.
 */
import "katex/dist/katex.min.css";
import { Children, isValidElement, useState, type ReactElement, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeKatex from "rehype-katex";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import { Check, Copy } from "lucide-react";
import { useI18n } from "../i18n/i18n.tsx";
import { copyText } from "./copy-text.ts";

const remarkPlugins = [remarkGfm, remarkMath];
const rehypePlugins = [
  [rehypeKatex, { throwOnError: false, strict: "ignore" }],
  // Only fenced blocks that name their language are highlighted: guessing is slow while streaming.
  [rehypeHighlight, { detect: false }],
] as const;

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const code = Children.toArray(children).find(isValidElement) as ReactElement<{ className?: string; children?: ReactNode }> | undefined;
  const language = /language-([\w+#-]+)/.exec(code?.props.className ?? "")?.[1];
  const text = textOf(code?.props.children ?? children).replace(/\n$/, "");
  const copy = () => {
    void copyText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="code-block">
      <div className="code-header">
        <span className="code-lang">{language ?? "text"}</span>
        <button type="button" className="code-copy" onClick={copy} aria-label={t("chat.copy")}>
          {copied ? <Check size={14} /> : <Copy size={14} />}
          <span>{copied ? t("chat.copied") : t("chat.copy")}</span>
        </button>
      </div>
      <pre>{children}</pre>
    </div>
  );
}

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  a: ({ children, href }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  table: ({ children }) => (
    <div className="table-wrap">
      <table>{children}</table>
    </div>
  ),
};

export default function MarkdownRenderer({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugin tuples with options are typed loosely by unified
      rehypePlugins={rehypePlugins as any}
      components={components}
    >
      {text}
    </ReactMarkdown>
  );
}
