import type { Request, Response } from 'express';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The API's answers are compressed here, in one call over the whole answer, not by the `compression`
// middleware (which stays for the client's files, streamed from disk: app.ts). An API answer is built
// in memory before a byte of it is sent, so a stream buys nothing, and it costs: `compression`'s
// brotli stream added 1.0–1.5 ms to a 26.8 KB monitoring list's CPU on a slow host, where one call at
// brotli 1 takes 0.07–0.12 ms (BENCHMARKS.md, session 17). A call on the event loop blocks it while it
// runs; at the fastest setting that is about 2.5 ms per MiB, against the JSON.stringify of that MiB
// before it.

/** Answers shorter than this (characters) go out as they are: `compression`'s own threshold. */
export const COMPRESS_MIN_CHARS = 1024;

/**
 * The fastest setting of each: on the monitoring list's 26.8 KB answer, brotli 1 gives 3.5 KB in
 * 0.07–0.12 ms and gzip 1 3.4 KB in 0.07–0.11 ms, against 2.9 KB in 0.24–0.41 ms (brotli 4,
 * `compression`'s default) and 3.0 KB in 0.22–0.28 ms (gzip 6). An API answer is a few KiB either way.
 */
const BROTLI_QUALITY = 1;
const GZIP_LEVEL = 1;

/** The coding the client accepts for a read's answer, in the client's order; null for identity. */
function answerEncoding(req: Request): 'br' | 'gzip' | null {
  if (req.headers['accept-encoding'] === undefined) return null;
  const chosen = req.acceptsEncodings(['br', 'gzip']);
  return chosen === 'br' || chosen === 'gzip' ? chosen : null;
}

/**
 * Sends a text answer with its content type, compressed in one call when the request is a GET that
 * may be compressed (`req.mayCompress`, decided once by `compressedAnswers`), the client accepts br or
 * gzip and the answer is long enough. A HEAD is answered as identity, as `compression` did.
 */
export function sendText(req: Request, res: Response, body: string, contentType: string): void {
  res.setHeader('Content-Type', contentType);
  const encoding = req.mayCompress && req.method === 'GET' && body.length >= COMPRESS_MIN_CHARS ? answerEncoding(req) : null;
  if (encoding === null) {
    res.send(body);
    return;
  }
  const plain = Buffer.from(body, 'utf8');
  const packed =
    encoding === 'br'
      ? brotliCompressSync(plain, {
          params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
        })
      : gzipSync(plain, { level: GZIP_LEVEL });
  res.setHeader('Content-Encoding', encoding);
  res.send(packed);
}

/** Sends a value as `application/json` (as Express's res.json would), compressed as `sendText` says. */
export function sendJson(req: Request, res: Response, value: unknown): void {
  sendText(req, res, JSON.stringify(value), 'application/json; charset=utf-8');
}
