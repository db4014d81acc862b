import { fstatSync } from 'node:fs';
import net from 'node:net';
import pino from 'pino';

/**
 * Where the process's log lines go when stdout is a pipe (issue 11 item 12).
 *
 * On Linux Node writes to a pipe on stdout synchronously, and pino's default destination retries a
 * full pipe until it takes the line, and flushes synchronously on exit. When whoever reads the pipe
 * stops reading (a parent that exited while another process still holds the pipe's reading end,
 * a stalled log shipper), the pipe fills and the process blocks in a write: it no longer answers,
 * and SIGTERM's shutdown never completes. A log line is never worth that: this sink writes through
 * a non-blocking socket on the same descriptor, keeps at most `maxBufferedBytes` waiting, drops lines
 * beyond that (and says how many once the pipe takes lines again), and stops writing for good on a
 * broken pipe. Files and terminals keep pino's own destination, which cannot block like this.
 */
export type PipeSink = {
  write(line: string): void;
  /** Calls back when everything written so far has left, or at once when nothing can leave any more. */
  flush(cb: (err?: Error) => void): void;
  /** Lines dropped because the reader did not keep up or was gone. */
  readonly dropped: number;
};

const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function pipeSink(fd = 1, maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES): PipeSink {
  const socket = new net.Socket({ fd, readable: false, writable: true });
  let broken = false;
  let dropped = 0;
  let unreported = 0;
  socket.on('error', () => {
    // EPIPE and friends: nobody will ever read what follows.
    broken = true;
    socket.destroy();
  });
  // The descriptor must not keep the process alive on its own (it did not before, as stdout).
  socket.unref();
  return {
    get dropped() {
      return dropped;
    },
    write(line: string) {
      if (broken || socket.destroyed) {
        dropped++;
        return;
      }
      if (socket.writableLength > maxBufferedBytes) {
        dropped++;
        unreported++;
        return;
      }
      if (unreported > 0) {
        socket.write(
          `${JSON.stringify({ level: 40, time: new Date().toISOString(), msg: 'log lines dropped: the log reader did not keep up', dropped: unreported })}\n`,
        );
        unreported = 0;
      }
      socket.write(line);
    },
    flush(cb) {
      if (broken || socket.destroyed || socket.writableLength === 0) {
        cb();
        return;
      }
      socket.once('drain', () => cb());
    },
  };
}

/** A pipe sink when stdout is a pipe or socket; undefined otherwise. */
function stdoutSinkIfPipe(): PipeSink | undefined {
  try {
    const stat = fstatSync(1);
    return stat.isFIFO() || stat.isSocket() ? pipeSink(1) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a logger without a destination of its own writes: stdout, as `stdoutSinkIfPipe` says for a
 * pipe or socket, and otherwise (a file, a terminal, /dev/null) by a synchronous write on the calling
 * thread, as Node writes its own stdout to files and terminals on Linux.
 *
 * pino's default destination writes asynchronously, through libuv's thread pool: each write wakes a
 * pool thread, which writes and then wakes the event loop again for the callback. One request at a
 * time, that was one line and two thread wake-ups per request, for a write that takes microseconds:
 * in paired windows the empty inbox cost 0.906 and a transition at one client 0.945 of what they did
 * with it (BENCHMARKS.md session 18). A synchronous line also reaches the file before the process
 * can die.
 *
 * One destination per process, shared by every such logger: two sinks on one descriptor would each
 * buffer and fail on their own.
 */
export function stdoutDestination(): PipeSink | ReturnType<typeof pino.destination> {
  stdoutShared ??= stdoutSinkIfPipe() ?? pino.destination({ dest: 1, sync: true });
  return stdoutShared;
}

let stdoutShared: PipeSink | ReturnType<typeof pino.destination> | undefined;
