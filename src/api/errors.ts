/**
 * An error answer. `message` null means a bare status; `plain` sends the message as text/plain (Restcomm's
 * shape for a few answers such as `21452`); otherwise it is `{"message":…}` or `<Message>` per the format.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string | null,
    readonly options: { plain?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message ?? '');
    this.hasBody = message !== null;
  }
  readonly hasBody: boolean;
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (what: string): ApiError => new ApiError(404, `${what} not found`);
export const forbidden = (message: string): ApiError => new ApiError(403, message);
