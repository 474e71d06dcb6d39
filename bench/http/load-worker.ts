// The load generator: a long-lived child process that runs autocannon jobs sent over IPC.

import autocannon from 'autocannon';

/** One load run. */
export interface LoadJob {
  readonly url: string;
  readonly path: string;
  readonly seconds: number;
  /** Stop after this many requests instead of after `seconds` (quick mode). */
  readonly amount?: number;
  readonly connections: number;
  /** Cycle the path through `${path}0` … `${path}${distinctPaths - 1}` (keyed rows). */
  readonly distinctPaths?: number;
}

/** What one load run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly status2xx: number;
  readonly status5xx: number;
}

function run(job: LoadJob): Promise<LoadResult> {
  let next = 0;
  const distinct = job.distinctPaths;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: job.url,
        connections: job.connections,
        ...(job.amount === undefined ? { duration: job.seconds } : { amount: job.amount }),
        requests: [
          distinct === undefined
            ? { method: 'GET', path: job.path }
            : {
                method: 'GET',
                setupRequest: (request) => ({
                  ...request,
                  path: `${job.path}${next++ % distinct}`,
                }),
              },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const requests = result.requests.total;
        resolve({
          requests,
          seconds: result.duration,
          rps: requests / result.duration,
          latencyP50: result.latency.p50,
          latencyP99: result.latency.p99,
          errors: result.errors,
          timeouts: result.timeouts,
          status2xx: result['2xx'],
          status5xx: result['5xx'],
        });
      },
    );
  });
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  run(message.job).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
