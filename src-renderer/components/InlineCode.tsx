import { splitInlineCode } from '../../src-main/contract/words';

/** Text with its `backticked` parts shown as code: React text nodes only, so nothing in it can become markup. */
export function InlineCode({ text }: { readonly text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, i) => (part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>))}
    </>
  );
}
