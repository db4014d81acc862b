import type { ReactNode, RefObject } from 'react';

/**
 * What a page following a server job shows (useJob): while it runs a labelled progress bar with the
 * counts in words, a failure to follow it as an alert, and when it ends the result, which takes focus.
 */
export function JobState({
  id,
  running,
  label,
  max,
  value,
  text,
  error,
  result,
}: {
  id: string;
  running: boolean;
  label: string;
  max: number;
  value: number;
  text: string;
  error: string | null;
  result: { ref: RefObject<HTMLDivElement | null>; ok: boolean; summary: string; children?: ReactNode } | null;
}) {
  return (
    <>
      {running ? (
        <div className="progress-block" aria-live="polite">
          <label htmlFor={`${id}-progress`}>{label}</label>{' '}
          <progress id={`${id}-progress`} max={max || 1} value={value} data-testid={`${id}-progress`} /> <span>{text}</span>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <div ref={result.ref} tabIndex={-1} className={result.ok ? 'notice success' : 'notice warning'} data-testid={`${id}-result`}>
          <p>{result.summary}</p>
          {result.children}
        </div>
      ) : null}
    </>
  );
}
