import type { Config } from '../config.js';
import { createA1111Engine } from '../engines/a1111/engine.js';
import { toAuthKind } from '../engines/endpoint.js';
import type { Backend } from '../jobs/backend-pool.js';
import type { Logger } from '../log.js';
import { createSdClient } from '../sd/client.js';
import { withComfy } from './comfy-backend.js';

/** One engine per `SD_API_URL` entry, each on its own keep-alive pool. */
export function createBackends(config: Config, log?: Pick<Logger, 'warn'>): Backend[] {
  return config.backends.map((backend) => {
    const client = createSdClient({
      url: backend.url,
      ...(backend.username === undefined ? {} : { username: backend.username }),
      ...(backend.password === undefined ? {} : { password: backend.password }),
      timeoutMs: config.limits.requestTimeoutMs,
      gzip: config.sdGzip,
    });
    const auth = toAuthKind(backend.username, backend.password);
    return withComfy(
      { id: client.label, engine: createA1111Engine({ client, auth, log }) },
      backend,
      config,
      log,
    );
  });
}
