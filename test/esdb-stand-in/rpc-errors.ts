import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** An RPC failure carrying the `exception` trailer the client maps to its typed errors, as the server's RpcExceptions do. */
export function rpcError(code: status, message: string, exception?: string, trailers: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  if (exception) metadata.set('exception', exception);
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(message), { code, details: message, metadata });
}

export function badRequest(message: string): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, message);
}

export function missingMetadata(property: string): ServiceError {
  return rpcError(status.INVALID_ARGUMENT, `Required metadata property ${property} is missing`, 'missing-required-metadata-property', {
    'required-metadata-properties': property,
  });
}
