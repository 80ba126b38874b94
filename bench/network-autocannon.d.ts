// Just the part of autocannon's API the network HTTP benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Req { method?: string; path?: string; headers?: Record<string, string>; body?: string }
  interface Options { url: string; connections?: number; duration?: number; overallRate?: number; requests?: Array<Req & { setupRequest?: (req: Req) => Req }> }
  interface Histogram { average: number; p50: number; p99: number; max: number }
  interface Result { requests: Histogram; latency: Histogram; errors: number; non2xx: number; timeouts: number }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
