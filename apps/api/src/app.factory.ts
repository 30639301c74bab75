import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { AppModule } from './app.module';
import { fastifyOptions } from './http/fastify-options';
import { WinstonNestLogger } from './observability/nest-logger';
import { requestContext } from './observability/request-context';

/** Builds the API application (used by main.ts and by the end-to-end specs). */
export async function createApp(config: AppConfig, logger: winston.Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(fastifyOptions(config));
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    requestContext.run({ requestId: request.id }, done);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    rawBody: true,
    logger: new WinstonNestLogger(logger),
    bufferLogs: false,
  });
  return app;
}
