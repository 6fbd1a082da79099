/**
 * Hugging Face style Jinja chat templates for the synthetic models, written for Sputnik (rendered by
 * `@huggingface/jinja`; stored in `tokenizer.chat_template`).
 *
 * Variables: `messages`, `tools`, `add_generation_prompt`, `enable_thinking`, `bos_token`,
 * `eos_token`, and optionally `continue_final_message`.
 *
 * Messages follow the OpenAI/HF shape: `content` may be a string, null, or a list of
 * `{type: "text", text}` parts; assistant `tool_calls` may be OpenAI-style (`{function: {name,
 * arguments}}`, arguments a JSON string, emitted verbatim) or HF-style (arguments an object, emitted
 * with `tojson`); assistant `reasoning_content` is DeepSeek's separate reasoning field.
 *
 * Chat prefix completion (`continue_final_message`): when the last message is from the assistant
 * and `add_generation_prompt` is false, its turn is left open — no end token — so generation
 * continues its text. Passing `continue_final_message=false` closes it as a normal history turn.
 * HF's `apply_chat_template` instead closes the turn and cuts the rendered text after the final
 * content; doing it in the template gives the same text without the cut. Within an open final
 * message, `reasoning_content` without content leaves `<think>` open (the reasoning continues);
 * with content, or in Qwen3 when the content has no `<think>` of its own, the reasoning block is
 * closed first, because continuing the answer means the reasoning is over (Qwen3's own template
 * renders its last assistant turn with a think block too). Deviation to know: node-llama-cpp's
 * `JinjaTemplateChatWrapper` learns its stop text from what a template prints after the final
 * assistant message, which is nothing here; it still stops on the EOG tokens (`<|im_end|>`,
 * `<｜end▁of▁sentence｜>`), and its auto-detection picks `ChatML` for the Qwen templates.
 */
import type { SynthTemplate } from "./qwen-vocab.ts";

/** Text of a message's content: strings as is, text parts concatenated, anything else empty. */
const TEXT_MACRO = String.raw`
{%- macro text(c) -%}
    {%- if c is string -%}
        {{- c -}}
    {%- elif c is iterable -%}
        {%- for part in c -%}
            {%- if part.type == 'text' -%}{{- part.text -}}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro -%}
{%- macro args_json(fn) -%}
    {%- if fn.arguments is string -%}{{- fn.arguments -}}
    {%- elif fn.arguments is mapping -%}{{- fn.arguments | tojson -}}
    {%- else -%}{{- '{}' -}}
    {%- endif -%}
{%- endmacro -%}
{%- set open_last = (messages | length > 0) and (messages | last).role == 'assistant' and not add_generation_prompt
    and (continue_final_message is not defined or continue_final_message) -%}
{%- set no_thinking = enable_thinking is defined and enable_thinking is false -%}
`;

/** Qwen's tools preamble, a `<tool_call>` block, and the grouped `<tool_response>` user turn. */
const QWEN_TOOLS = String.raw`
{%- macro tools_block(tools) -%}
    {{- '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' -}}
    {%- for tool in tools -%}{{- '\n' + (tool | tojson) -}}{%- endfor -%}
    {{- '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>' -}}
{%- endmacro -%}
{%- macro tool_calls_block(calls, after_content) -%}
    {%- for call in calls -%}
        {%- set fn = call.function if call.function is defined else call -%}
        {%- if after_content or not loop.first -%}{{- '\n' -}}{%- endif -%}
        {{- '<tool_call>\n{"name": ' + (fn.name | tojson) + ', "arguments": ' + args_json(fn) + '}\n</tool_call>' -}}
    {%- endfor -%}
{%- endmacro -%}
{%- macro tool_response(messages, message, loop) -%}
    {%- if loop.first or messages[loop.index0 - 1].role != 'tool' -%}{{- '<|im_start|>user' -}}{%- endif -%}
    {{- '\n<tool_response>\n' + text(message.content) + '\n</tool_response>' -}}
    {%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{- '<|im_end|>\n' -}}{%- endif -%}
{%- endmacro -%}
`;

/** Qwen2.5-style ChatML with a default system prompt and Hermes-style tool calls. */
const CHATML = String.raw`
{%- if messages | length > 0 and messages[0].role == 'system' -%}
    {%- set system_text = text(messages[0].content) -%}
{%- else -%}
    {%- set system_text = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' -%}
{%- endif -%}
{{- '<|im_start|>system\n' + system_text -}}
{%- if tools -%}{{- '\n\n' + tools_block(tools) -}}{%- endif -%}
{{- '<|im_end|>\n' -}}
{%- for message in messages -%}
    {%- if loop.first and message.role == 'system' -%}
    {%- elif message.role == 'assistant' -%}
        {%- set content = text(message.content) -%}
        {{- '<|im_start|>assistant\n' + content -}}
        {%- if message.tool_calls -%}{{- tool_calls_block(message.tool_calls, content) -}}{%- endif -%}
        {%- if not (loop.last and open_last) -%}{{- '<|im_end|>\n' -}}{%- endif -%}
    {%- elif message.role == 'tool' -%}
        {{- tool_response(messages, message, loop) -}}
    {%- else -%}
        {{- '<|im_start|>' + message.role + '\n' + text(message.content) + '<|im_end|>\n' -}}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\n' -}}{%- endif -%}
`;

/**
 * Qwen3: ChatML without a default system prompt, plus reasoning. Assistant messages before the last
 * real user query lose their reasoning; those after it (the current multi-step tool-calling turn)
 * keep it, as in Qwen3's own template. `enable_thinking=false` pre-fills an empty think block.
 */
const QWEN3 = String.raw`
{%- if tools -%}
    {{- '<|im_start|>system\n' -}}
    {%- if messages | length > 0 and messages[0].role == 'system' -%}{{- text(messages[0].content) + '\n\n' -}}{%- endif -%}
    {{- tools_block(tools) + '<|im_end|>\n' -}}
{%- elif messages | length > 0 and messages[0].role == 'system' -%}
    {{- '<|im_start|>system\n' + text(messages[0].content) + '<|im_end|>\n' -}}
{%- endif -%}
{%- set ns = namespace(last_query=-1) -%}
{%- for message in messages -%}
    {%- if message.role == 'user' -%}
        {%- set t = text(message.content) -%}
        {%- if not (t.startswith('<tool_response>') and t.endswith('</tool_response>')) -%}{%- set ns.last_query = loop.index0 -%}{%- endif -%}
    {%- endif -%}
{%- endfor -%}
{%- for message in messages -%}
    {%- if loop.first and message.role == 'system' -%}
    {%- elif message.role == 'assistant' -%}
        {%- set raw = text(message.content) -%}
        {%- set content = raw -%}
        {%- set reasoning = message.reasoning_content if message.reasoning_content is string else '' -%}
        {%- if '</think>' in raw -%}
            {%- set content = raw.split('</think>')[-1].lstrip('\n') -%}
            {%- if not reasoning -%}{%- set reasoning = raw.split('</think>')[0].split('<think>')[-1] -%}{%- endif -%}
        {%- endif -%}
        {%- set reasoning = reasoning.strip('\n') -%}
        {{- '<|im_start|>assistant\n' -}}
        {%- if loop.last and open_last -%}
            {#- Prefix completion: the model continues exactly where this text stops. -#}
            {%- if message.reasoning_content is string and message.reasoning_content -%}
                {{- '<think>\n' + reasoning -}}
                {%- if raw -%}{{- '\n</think>\n\n' + raw -}}{%- endif -%}
            {%- elif '<think>' in raw or not (raw or no_thinking) -%}
                {{- raw -}}
            {%- else -%}
                {#- Continuing the answer means the reasoning is over, as Qwen3's own template renders it. -#}
                {{- '<think>\n\n</think>\n\n' + raw -}}
            {%- endif -%}
        {%- else -%}
            {%- if loop.index0 > ns.last_query and reasoning -%}
                {{- '<think>\n' + reasoning + '\n</think>\n\n' -}}
            {%- endif -%}
            {{- content -}}
        {%- endif -%}
        {%- if message.tool_calls -%}{{- tool_calls_block(message.tool_calls, content) -}}{%- endif -%}
        {%- if not (loop.last and open_last) -%}{{- '<|im_end|>\n' -}}{%- endif -%}
    {%- elif message.role == 'tool' -%}
        {{- tool_response(messages, message, loop) -}}
    {%- else -%}
        {{- '<|im_start|>' + message.role + '\n' + text(message.content) + '<|im_end|>\n' -}}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{- '<|im_start|>assistant\n' -}}
    {%- if no_thinking -%}{{- '<think>\n\n</think>\n\n' -}}{%- endif -%}
{%- endif -%}
`;

const FENCE = "```";

/**
 * DeepSeek-R1: BOS, all system text, then `<｜User｜>` / `<｜Assistant｜>` turns; every earlier
 * assistant message keeps only the text after `</think>`; the generation prompt opens the reasoning
 * (`<think>\n`). Extensions over DeepSeek's own template, which ignores `tools`: a tools section in
 * the system text describing R1's native call format, and `enable_thinking=false` pre-filling an
 * empty think block.
 */
const DEEPSEEK_R1 = String.raw`
{%- set ns = namespace(system='') -%}
{%- for message in messages -%}
    {%- if message.role == 'system' -%}
        {%- if ns.system -%}{%- set ns.system = ns.system + '\n\n' -%}{%- endif -%}
        {%- set ns.system = ns.system + text(message.content) -%}
    {%- endif -%}
{%- endfor -%}
{%- if bos_token is defined and bos_token -%}{{- bos_token -}}{%- endif -%}
{{- ns.system -}}
{%- if tools -%}
    {%- if ns.system -%}{{- '\n\n' -}}{%- endif -%}
    {{- '## Tools\n\nYou may call one or more of these functions to help with the user query:\n' -}}
    {%- for tool in tools -%}{{- '\n' + (tool | tojson) -}}{%- endfor -%}
    {{- '\n\nTo call functions, reply in exactly this format, with one <｜tool▁call▁begin｜>...<｜tool▁call▁end｜> per call:\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>FUNCTION_NAME\n${FENCE}json\nARGUMENTS_JSON\n${FENCE}<｜tool▁call▁end｜><｜tool▁calls▁end｜>' -}}
{%- endif -%}
{%- for message in messages -%}
    {%- if message.role == 'user' -%}
        {{- '<｜User｜>' + text(message.content) -}}
    {%- elif message.role == 'assistant' -%}
        {%- set raw = text(message.content) -%}
        {{- '<｜Assistant｜>' -}}
        {%- if loop.last and open_last -%}
            {%- if message.reasoning_content is string and message.reasoning_content -%}
                {{- '<think>\n' + message.reasoning_content.strip('\n') -}}
                {%- if raw -%}{{- '\n</think>\n\n' + raw -}}{%- endif -%}
            {%- elif no_thinking and not ('<think>' in raw) -%}
                {{- '<think>\n\n</think>\n\n' + raw -}}
            {%- else -%}
                {{- raw -}}
            {%- endif -%}
        {%- else -%}
            {{- raw.split('</think>')[-1].lstrip('\n') -}}
        {%- endif -%}
        {%- if message.tool_calls -%}
            {{- '<｜tool▁calls▁begin｜>' -}}
            {%- for call in message.tool_calls -%}
                {%- set fn = call.function if call.function is defined else call -%}
                {{- '<｜tool▁call▁begin｜>function<｜tool▁sep｜>' + fn.name + '\n${FENCE}json\n' + args_json(fn) + '\n${FENCE}<｜tool▁call▁end｜>' -}}
            {%- endfor -%}
            {{- '<｜tool▁calls▁end｜>' -}}
        {%- endif -%}
        {%- if not (loop.last and open_last) -%}{{- '<｜end▁of▁sentence｜>' -}}{%- endif -%}
    {%- elif message.role == 'tool' -%}
        {%- if loop.first or messages[loop.index0 - 1].role != 'tool' -%}{{- '<｜tool▁outputs▁begin｜>' -}}{%- endif -%}
        {{- '<｜tool▁output▁begin｜>' + text(message.content) + '<｜tool▁output▁end｜>' -}}
        {%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{- '<｜tool▁outputs▁end｜>' -}}{%- endif -%}
    {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{- '<｜Assistant｜><think>\n' -}}
    {%- if no_thinking -%}{{- '\n</think>\n\n' -}}{%- endif -%}
{%- endif -%}
`;

/** Chat template (HF Jinja) written into `tokenizer.chat_template` for each template family. */
export const CHAT_TEMPLATES: Readonly<Record<SynthTemplate, string>> = {
  chatml: (TEXT_MACRO + QWEN_TOOLS + CHATML).trim(),
  qwen3: (TEXT_MACRO + QWEN_TOOLS + QWEN3).trim(),
  "deepseek-r1": (TEXT_MACRO + DEEPSEEK_R1).trim(),
};
