import type { Job, JobResult, ReadJob, ReadResult, SequenceJob, SequenceResult, TransitionJob, TransitionResult } from '../loadgen.ts';
import { forkTs } from './server.ts';

export type Loadgen = {
  run(job: TransitionJob): Promise<TransitionResult>;
  run(job: ReadJob): Promise<ReadResult>;
  run(job: SequenceJob): Promise<SequenceResult>;
  stop(): Promise<void>;
};

/** The load generator as a separate Node process (bench/loadgen.ts), one job at a time. */
export function startLoadgen(): Loadgen {
  const child = forkTs('loadgen.ts', {});
  let pending: { resolve: (r: JobResult) => void; reject: (e: Error) => void } | null = null;
  child.on('message', (m: { ok: boolean; result?: JobResult; error?: string }) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (m.ok && m.result) {
      const problems = (m.result as { problems?: string[] }).problems ?? [];
      for (const line of problems) process.stderr.write(`  [loadgen] ${line}\n`);
      p.resolve(m.result);
    }
    else p.reject(new Error(`load generator: ${m.error ?? 'no result'}`));
  });
  child.on('exit', (code) => {
    pending?.reject(new Error(`load generator exited (${code})`));
    pending = null;
  });
  const run = (job: Job) =>
    new Promise<JobResult>((resolve, reject) => {
      if (pending) return reject(new Error('load generator busy'));
      pending = { resolve, reject };
      child.send(job);
    });
  return {
    run: run as Loadgen['run'],
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ kind: 'exit' });
      }),
  };
}
