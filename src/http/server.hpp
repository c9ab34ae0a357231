#pragma once
// The HTTP/1.x front door: accepts connections (plain or TLS), reads requests
// with Boost.Beast, hands each one to a RequestHandler and writes its Response.
// Boost headers stay out of this file so that callers compile quickly.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace terrarium::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;  // 0 picks a free port; see Server::port()
  size_t threads = 0;    // worker threads running the io_context; 0 = hardware cores

  // TLS. With `tls` on, the port speaks both HTTPS and plain HTTP: each
  // connection is classified by its first byte (0x16 = TLS handshake).
  bool tls = false;
  std::string tls_cert_file;  // PEM certificate chain; empty = self-signed
  std::string tls_key_file;   // PEM private key; empty = self-signed
  // Where the self-signed certificate is kept when cert/key are empty: it is
  // generated once as <tls_dir>/tls/cert.pem and <tls_dir>/tls/key.pem and
  // reused afterwards. Empty = generate a fresh one in memory at every start.
  std::string tls_dir;

  // Limits. Header bytes over the limit answer 431; a body over the limit
  // answers 413 (before reading it, when Content-Length announces it).
  // 1 GiB because bodies are still held in memory; S3 streaming will lift it.
  size_t max_header_bytes = 64 * 1024;
  uint64_t max_body_bytes = uint64_t{1} << 30;

  // Timeouts (milliseconds so tests can use short ones; seconds convert).
  // idle_timeout: a connection with no request in progress is closed after it.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // request_timeout: the whole header must arrive within it once its first
  // byte did, and every body read must make progress within it (a deadline
  // per read, not per body, so large slow uploads still complete).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  // stop(): how long in-flight requests may take to finish before the
  // remaining connections are cut.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(10)};

  std::string server_header = "Terrarium";  // empty = no Server header
};

// Called once per request, concurrently from the worker threads. Should not
// throw (an escaping exception becomes a 500 with the exception's message).
// The handler may move out of the request (its body, say).
//
// Response framing is the server's job: Content-Length is set from the body
// (except for HEAD, 1xx, 204 and 304, where a Content-Length the handler set
// is kept as-is so HEAD can announce an object's size), Date and Server are
// added when absent, and Connection follows keep-alive semantics. A handler
// that sets `Connection: close` gets the connection closed after the response.
using RequestHandler = std::function<Response(Request&)>;

class Server {
 public:
  // Binds and listens right away (throws std::runtime_error on failure, e.g.
  // address in use, unreadable certificate), so port() is valid after it.
  Server(ServerOptions options, RequestHandler handler);
  ~Server();  // only once run() has returned (or was never called)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;  // the bound port (useful with port 0)
  const ServerOptions& options() const;

  // Starts `threads` worker threads serving requests; the calling thread
  // only waits, and run() returns once stop() has completed. Call once.
  void run();

  // Graceful: stops accepting, closes idle connections, lets in-flight
  // requests finish (up to stop_grace) and then makes run() return.
  // Thread-safe, idempotent, may be called before or during run(), from any
  // thread (a signal-handling thread too; not from inside a raw signal handler).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace terrarium::http
