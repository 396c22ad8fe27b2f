const env = process.env;

export const config = {
  kafka: { brokers: (env.KAFKA_BROKERS ?? 'kafka:9092').split(',') },
  rabbitmqUrl: env.RABBITMQ_URL ?? 'amqp://rabbitmq:5672',
  orders: { url: env.ORDERS_URL ?? 'http://orders:3000' },
  email: {
    url: env.EMAIL_API_URL ?? 'https://api.mailer.example',
    apiKey: env.EMAIL_API_KEY ?? '',
  },
  sms: {
    url: env.SMS_API_URL ?? 'https://api.texting.example/2010-04-01',
    accountId: env.SMS_ACCOUNT_ID ?? '',
    token: env.SMS_TOKEN ?? '',
    sender: env.SMS_SENDER ?? 'Shop',
  },
  push: {
    url: env.PUSH_API_URL ?? 'https://push.example/v1',
    apiKey: env.PUSH_API_KEY ?? '',
    timeoutMs: Number(env.PUSH_TIMEOUT_MS ?? 1_500),
  },
  partnerWebhook: env.PARTNER_WEBHOOK_URL
    ? { url: env.PARTNER_WEBHOOK_URL, secret: env.PARTNER_WEBHOOK_SECRET ?? '' }
    : undefined,
};
