import Fastify from 'fastify';
import { runWithRequestId } from '@shop/common/correlation';
import { config } from './config';
import { settleExpiredReservations } from './jobs/settle-reservations';
import { mongo } from './mongo';
import { stockRoutes } from './routes/stock';

const app = Fastify({ logger: true, requestIdHeader: 'x-request-id' });

app.addHook('onRequest', (request, _reply, done) => runWithRequestId(request.id, done));
app.register(stockRoutes);
app.get('/healthz', async () => 'ok');

async function start(): Promise<void> {
  await mongo.connect();
  await app.listen({ host: '0.0.0.0', port: config.port });
  setInterval(() => {
    settleExpiredReservations().catch((error) => app.log.error(error, 'settling reservations failed'));
  }, 60_000).unref();
}

start().catch((error) => {
  app.log.error(error);
  process.exit(1);
});
