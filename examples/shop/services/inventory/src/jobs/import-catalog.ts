// Nightly CronJob: loads the supplier's stock feed (one JSON object per line) into the stock collection.
import { createInterface } from 'node:readline';
import got from 'got';
import { config } from '../config';
import { mongo, stock } from '../mongo';

interface FeedLine {
  sku: string;
  available: number;
  warehouse: string;
}

export async function importCatalog(): Promise<number> {
  // breakwater-disable-next-line missing-timeout -- multi-GB stream; the CronJob's activeDeadlineSeconds ends it
  const feed = got.stream(config.supplier.feedUrl, { headers: { authorization: `Bearer ${config.supplier.apiKey}` } });
  let imported = 0;
  for await (const line of createInterface({ input: feed, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const item = JSON.parse(line) as FeedLine;
    await stock.updateOne(
      { _id: item.sku },
      { $set: { available: item.available, warehouse: item.warehouse, updatedAt: new Date() }, $setOnInsert: { reserved: 0 } },
      { upsert: true },
    );
    imported++;
  }
  return imported;
}

if (require.main === module) {
  mongo
    .connect()
    .then(importCatalog)
    .then(async (count) => {
      console.log(`imported ${count} items`);
      await mongo.close();
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
