import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, isApiError } from '../api.ts';
import { problemText } from '../forms/errors.tsx';
import { useAnnounce } from './Announcer.tsx';

const POLL_MS = 500;

/**
 * A background job of the server (the check of every family, the bulk upgrade): `start` posts and
 * keeps the job's id; the hook then follows GET `path(id)` until the job is no longer running.
 * When it ends, `summary` is announced and the element of `resultRef` takes focus.
 */
export function useJob<S extends z.ZodType<{ status: 'running' | 'done' | 'failed' }>>(
  schema: S,
  path: (id: string) => string,
  summary: (done: z.output<S>) => string,
) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [job, setJob] = useState<{ id: string; progress: z.output<S> | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const done = job?.progress && job.progress.status !== 'running' ? job.progress : null;

  useEffect(() => {
    if (!job || done) return;
    let stopped = false;
    const timer = setTimeout(
      () => {
        api
          .get(schema, path(job.id))
          .then((progress) => {
            if (!stopped) setJob({ id: job.id, progress });
          })
          .catch((e: unknown) => {
            if (!stopped) setError(isApiError(e) ? problemText(e.problem, t) : t('errors.generic'));
          });
      },
      job.progress ? POLL_MS : 0,
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // The schema and path are fixed per page.
  }, [job, done, t]);

  useEffect(() => {
    if (!done) return;
    announce(summary(done));
    resultRef.current?.focus();
    // Once per finished job (announce and summary follow the language, not the job).
  }, [done]);

  /** Posts the start; a refusal (problem+json) is returned for the form to show, else null. */
  async function start<B extends z.ZodType<{ id: string }>>(started: B, url: string, body: unknown, announced: string) {
    setError(null);
    try {
      const { id } = await api.post(started, url, body);
      setJob({ id, progress: null });
      announce(announced);
      return null;
    } catch (e) {
      if (isApiError(e)) return e;
      setError(t('errors.generic'));
      return null;
    }
  }

  const running = job !== null && !done && !error;
  return { progress: job?.progress ?? null, done, error, setError, running, resultRef, start };
}
