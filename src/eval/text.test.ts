import { describe, expect, it } from "vitest";
import { countWords, detectLanguage, extractChoice, extractFinalNumber, extractJsonText, splitInlineReasoning, trigramSimilarity } from "./text.ts";

describe("splitInlineReasoning", () => {
  it("separates a <think> block from the answer", () => {
    expect(splitInlineReasoning("<think>add them</think>\n\nAnswer: 5")).toEqual({ reasoning: "add them", answer: "Answer: 5" });
  });
  it("treats a lone </think> as the end of reasoning opened by the template", () => {
    expect(splitInlineReasoning("hmm, 2+3</think>5")).toEqual({ reasoning: "hmm, 2+3", answer: "5" });
  });
  it("reports no answer when reasoning never closed", () => {
    expect(splitInlineReasoning("<think>still thinking")).toEqual({ reasoning: "still thinking", answer: "" });
  });
  it("leaves plain answers alone", () => {
    expect(splitInlineReasoning("just 5")).toEqual({ reasoning: "", answer: "just 5" });
  });
});

describe("extractFinalNumber", () => {
  it.each([
    ["Step 1: 3 × 4 = 12\nStep 2: 12 + 30 = 42\nAnswer: 42", 42],
    ["The change is $12.50.\nAnswer: $12.50", 12.5],
    ["Answer: 1,234.5 dollars", 1234.5],
    ["so 7 boxes, then 9.\nThe answer is 9", 9],
    ["Total: 100, minus 3 = 97", 97],
    ["答案：２５６", 256],
    ["정답: -14", -14],
    ["\\boxed{81} and then 5 more words 2", 81],
    ["Answer: 18, since 6 × 3 = 18. Check: 20 - 2", 18],
  ])("%j → %d", (text, value) => {
    expect(extractFinalNumber(text)).toBe(value);
  });
  it("finds nothing in words", () => {
    expect(extractFinalNumber("I don't know")).toBeUndefined();
  });
});

describe("extractChoice", () => {
  it.each([
    ["B", "B"],
    ["(C)", "C"],
    ["**D**", "D"],
    ["The answer is C because water boils at 100 °C.", "C"],
    ["A. Canberra", "A"],
    ["答案：B", "B"],
    ["정답은 D입니다", "D"],
    ["Option A is wrong. The correct answer is: B", "B"],
  ])("%j → %s", (text, letter) => {
    expect(extractChoice(text, "ABCD")).toBe(letter);
  });
  it("does not read the article 'a' as option A", () => {
    expect(extractChoice("the answer is a bit tricky, maybe it is a guess", "ABCD")).toBeUndefined();
  });
  it("falls back to the quoted text of exactly one option", () => {
    expect(extractChoice("It is Canberra, not Sydney's neighbour.", "ABCD", ["Perth", "Canberra", "Darwin", "Hobart"])).toBe("B");
  });
});

describe("extractJsonText", () => {
  it("unwraps fences and prose", () => {
    expect(extractJsonText('Sure!\n```json\n{"a": 1}\n```')).toBe('{"a": 1}');
    expect(extractJsonText('Here: {"a": [1, 2]} done')).toBe('{"a": [1, 2]}');
    expect(extractJsonText("no json")).toBeUndefined();
  });
});

describe("detectLanguage", () => {
  it.each([
    ["The ocean covers most of the planet and it is deep.", "en"],
    ["바다는 지구 표면의 대부분을 덮고 있습니다.", "ko"],
    ["海洋覆盖了地球表面的大部分。", "zh"],
    ["海は地球の表面の大部分を覆っています。", "ja"],
    ["La mer est grande et les vagues sont fortes pour les bateaux.", "fr"],
    ["El mar es muy grande y las olas son fuertes para los barcos.", "es"],
    ["Das Meer ist groß und die Wellen sind nicht klein.", "de"],
  ])("%s → %s", (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
  it("needs some text", () => {
    expect(detectLanguage("42")).toBeUndefined();
  });
});

describe("countWords and similarity", () => {
  it("counts Latin words and CJK characters", () => {
    expect(countWords("one two, three-four")).toBe(3);
    expect(countWords("海洋 big")).toBe(3);
  });
  it("scores identical texts 1 and unrelated ones low", () => {
    expect(trigramSimilarity("abcdef", "abcdef")).toBe(1);
    expect(trigramSimilarity("the quick brown fox", "zzzz yyyy")).toBe(0);
  });
});
