import express from 'express';
import { correlationMiddleware } from '@shop/common';
import { config } from './config.js';
import { orders } from './routes/orders.js';

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.use(correlationMiddleware);
app.use(orders);
app.get('/healthz', (_req, res) => {
  res.send('ok');
});

app.listen(config.port, () => console.log(`orders listening on :${config.port}`));
