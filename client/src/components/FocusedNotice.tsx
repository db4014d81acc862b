import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A success notice that takes focus when it appears (and again when `focusKey` changes), so the
 * result of an action is where keyboard and screen reader users are. `role="alert"` for a notice
 * that stops the user (a conflict, a refusal).
 */
export function FocusedNotice({
  as = 'p',
  focusKey,
  className = 'notice success',
  labelledBy,
  role = 'status',
  testId,
  children,
}: {
  as?: 'p' | 'div';
  focusKey?: unknown;
  className?: string;
  labelledBy?: string;
  role?: 'status' | 'alert';
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLParagraphElement & HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [focusKey]);
  const Tag = as;
  return (
    <Tag
      className={className}
      role={role}
      tabIndex={-1}
      ref={ref}
      aria-labelledby={labelledBy}
      data-testid={testId}
    >
      {children}
    </Tag>
  );
}

/** A form's page once its work is done: the title, the result (focused) and where to go next. */
export function DoneSection({
  id,
  title,
  text,
  next,
}: {
  id: string;
  title: string;
  text: string;
  next: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h1 id={id}>{title}</h1>
      <FocusedNotice as="div">
        <p>{text}</p>
        <p>{next}</p>
      </FocusedNotice>
    </section>
  );
}
