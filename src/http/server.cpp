#include "http/server.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffer_traits.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <spdlog/spdlog.h>

#include "http/tls.hpp"

namespace terrarium::http {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

constexpr size_t kReadSize = 16 * 1024;
// Never reserve more than this up front from a Content-Length: a client
// announcing a large body and sending nothing must not cost memory.
constexpr uint64_t kMaxBodyReserve = 64ull << 20;
// A connection buffer or body grown past this is freed between requests so an
// idle keep-alive connection does not pin a large upload's memory.
constexpr size_t kKeepCapacity = 1 << 20;
// When we close after an error the client may still be sending; reading (and
// discarding) for a moment first keeps the kernel from answering with a RST
// that would destroy our response before the client reads it.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 4 << 20;
// How long we wait for the client's close_notify after sending ours.
constexpr auto kTlsShutdownTime = std::chrono::seconds(1);

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// "Sun, 06 Nov 1994 08:49:37 GMT", recomputed at most once a second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_sec = -1;
  thread_local char buf[32];
  thread_local size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_sec) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    len = n > 0 ? static_cast<size_t>(n) : 0;
    cached_sec = now;
  }
  return {buf, len};
}

std::string_view reason_phrase(int status) {
  if (status == 431) return "Request Header Fields Too Large";
  const auto r = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  if (r == "<unknown-status>") return "Unknown";
  return {r.data(), r.size()};
}

// Header text from a handler goes on the wire verbatim except for CR/LF/NUL,
// which would let a value smuggle extra headers or a second response.
void append_sanitized(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
}

// Parses straight into a Request: no intermediate beast::http::message, so
// each header is copied once.
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  explicit RequestParser(Request& req) : req_(req) {}

  int version() const { return version_; }
  bool expects_continue() const { return expect_continue_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target,
                       int version, error_code&) override {
    req_.method.assign(method.data(), method.size());
    req_.target.assign(target.data(), target.size());
    version_ = version;
  }
  void on_response_impl(int, beast::string_view, int, error_code& ec) override {
    ec = bhttp::error::bad_version;  // unreachable for a request parser
  }
  void on_field_impl(bhttp::field name, beast::string_view name_str, beast::string_view value,
                     error_code&) override {
    if (name == bhttp::field::expect && iequals({value.data(), value.size()}, "100-continue"))
      expect_continue_ = true;
    req_.headers.emplace(std::piecewise_construct,
                         std::forward_as_tuple(name_str.data(), name_str.size()),
                         std::forward_as_tuple(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<uint64_t>& length, error_code&) override {
    if (length) req_.body.reserve(static_cast<size_t>(std::min(*length, kMaxBodyReserve)));
  }
  size_t on_body_impl(beast::string_view data, error_code&) override {
    req_.body.append(data.data(), data.size());
    return data.size();
  }
  void on_chunk_header_impl(uint64_t, beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(uint64_t, beast::string_view data, error_code&) override {
    req_.body.append(data.data(), data.size());
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& req_;
  int version_ = 11;
  bool expect_continue_ = false;
};

struct ServerState;

// What stop() needs from a live connection, whatever its stream type.
class Connection {
 public:
  Connection(ServerState& server, net::any_io_executor executor)
      : server_(server), executor_(std::move(executor)) {}
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Posted onto the connection's strand by stop(): closes it if idle.
  virtual void on_server_stop() = 0;
  // Kept from construction: a session's stream may be moved out (TLS upgrade).
  const net::any_io_executor& executor() const { return executor_; }

 protected:
  // False when the server is stopping: the caller closes instead of serving.
  bool enroll(const std::shared_ptr<Connection>& self);
  ServerState& server_;

 private:
  net::any_io_executor executor_;
  bool enrolled_ = false;
};

struct ServerState {
  ServerOptions opts;
  RequestHandler handler;

  std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;  // under mu
  bool stop_requested = false;                                             // under mu
  std::atomic<bool> stopping{false};  // read on the hot path without the lock

  std::optional<ssl::context> ssl_ctx;
  // Declared after the registry and the TLS context: destroying the
  // io_context destroys pending handlers and with them connections, which
  // unregister themselves and may still hold SSL objects. The I/O objects
  // below must in turn go before the io_context.
  net::io_context ioc;
  net::strand<net::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  uint16_t bound_port = 0;

  ServerState(ServerOptions o, RequestHandler h, int concurrency)
      : opts(std::move(o)),
        handler(std::move(h)),
        ioc(concurrency),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        accept_retry(accept_strand) {}

  void do_accept();
};

Connection::~Connection() {
  if (!enrolled_) return;
  std::lock_guard lk(server_.mu);
  server_.connections.erase(this);
  if (server_.stop_requested && server_.connections.empty()) server_.cv.notify_all();
}

bool Connection::enroll(const std::shared_ptr<Connection>& self) {
  std::lock_guard lk(server_.mu);
  if (server_.stop_requested) return false;
  server_.connections.emplace(this, self);
  enrolled_ = true;
  return true;
}

std::string remote_ip_of(const tcp::socket& socket) {
  error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return {};
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6()).to_string();
  return addr.to_string();
}

// The HTTP/1.x exchange, shared by plain and TLS connections (CRTP: Derived
// provides stream(), lowest(), close_gracefully(), shared_from_this()).
template <class Derived>
class HttpSession {
 protected:
  HttpSession(ServerState& server, beast::flat_buffer buffer, std::string remote_ip,
              bool secure)
      : state_(server), buffer_(std::move(buffer)), remote_ip_(std::move(remote_ip)),
        secure_(secure) {}

  Derived& self() { return static_cast<Derived&>(*this); }

  // Waits for the next request. With no bytes of it buffered yet the
  // connection is idle: stop() may close it and idle_timeout applies.
  void do_read() {
    if (state_.stopping.load(std::memory_order_relaxed)) return self().close_gracefully();
    reset_request();
    if (buffer_.size() == 0) {
      idle_ = true;
      self().lowest().expires_after(state_.opts.idle_timeout);
      self().stream().async_read_some(
          buffer_.prepare(kReadSize),
          [self = self().shared_from_this()](error_code ec, size_t n) {
            self->on_first_bytes(ec, n);
          });
    } else {
      parse_buffered();
    }
  }

  void on_first_bytes(error_code ec, size_t n) {
    idle_ = false;
    buffer_.commit(n);
    if (ec) {
      // Cancelled by stop(): say goodbye properly. Anything else (EOF, reset,
      // timeout, which already closed the socket): just drop the connection.
      if (ec == net::error::operation_aborted) self().close_gracefully();
      return;
    }
    parse_buffered();
  }

  // Parses what is already buffered without going through an asynchronous
  // operation: a small request usually arrives whole in one read, and this
  // saves a posted completion and two timer updates per request.
  void parse_buffered() {
    error_code ec;
    while (buffer_.size() != 0 && !parser_->is_done()) {
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return on_read_error(ec);
      if (used == 0) break;
    }
    if (!parser_->is_header_done()) return read_header();
    on_header({});
  }

  void read_header() {
    self().lowest().expires_after(state_.opts.request_timeout);
    bhttp::async_read_header(self().stream(), buffer_, *parser_,
                             [self = self().shared_from_this()](error_code ec, size_t) {
                               self->on_header(ec);
                             });
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return handle_request();
    if (parser_->expects_continue() && parser_->version() >= 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      self().lowest().expires_after(state_.opts.request_timeout);
      net::async_write(self().stream(), net::buffer(kContinue.data(), kContinue.size()),
                       [self = self().shared_from_this()](error_code ec, size_t) {
                         if (!ec) self->read_body();
                       });
      return;
    }
    read_body();
  }

  // One read at a time, each with its own deadline: a slow but steady upload
  // completes, a stalled one is cut after request_timeout.
  void read_body() {
    self().lowest().expires_after(state_.opts.request_timeout);
    bhttp::async_read_some(self().stream(), buffer_, *parser_,
                           [self = self().shared_from_this()](error_code ec, size_t) {
                             self->on_body(ec);
                           });
  }

  void on_body(error_code ec) {
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return handle_request();
    read_body();
  }

  void on_read_error(error_code ec) {
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
      return send_error(431, "Request header too large\n");
    if (ec == bhttp::error::body_limit) return send_error(413, "Request body too large\n");
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
        ec != bhttp::error::need_more && ec != bhttp::error::need_buffer)
      return send_error(400, "Bad request: " + ec.message() + "\n");
    // EOF, reset, timeout (socket already closed by the stream), TLS errors:
    // nothing sensible can be sent.
  }

  void send_error(int status, std::string message) {
    linger_on_close_ = true;
    res_ = Response{};
    res_.status = status;
    res_.headers.emplace_back("Content-Type", "text/plain");
    res_.body = std::move(message);
    write_response(true, false);
  }

  void handle_request() {
    req_.secure = secure_;
    req_.remote_ip = remote_ip_;
    try {
      res_ = state_.handler(req_);
    } catch (const std::exception& e) {
      res_ = Response{};
      res_.status = 500;
      res_.headers.emplace_back("Content-Type", "text/plain");
      res_.body = std::string("Internal server error: ") + e.what() + "\n";
    } catch (...) {
      res_ = Response{};
      res_.status = 500;
      res_.headers.emplace_back("Content-Type", "text/plain");
      res_.body = "Internal server error\n";
    }
    const bool close =
        !parser_->keep_alive() || state_.stopping.load(std::memory_order_relaxed);
    write_response(close, req_.method == "HEAD");
  }

  void write_response(bool close, bool head_request) {
    const int status = res_.status;
    const bool bodiless = head_request || status < 200 || status == 204 || status == 304;
    const bool length_forbidden = status < 200 || status == 204;
    // A 304's length, if any, describes the representation; only the handler knows it.
    const bool add_length = !length_forbidden && status != 304;

    head_.clear();
    head_.append("HTTP/1.1 ");
    head_.append(std::to_string(status));
    head_.push_back(' ');
    head_.append(reason_phrase(status));
    head_.append("\r\n");
    bool have_date = false, have_server = false, have_length = false;
    for (const auto& [name, value] : res_.headers) {
      if (iequals(name, "Connection")) {
        if (iequals(value, "close")) close = true;
        continue;
      }
      if (iequals(name, "Transfer-Encoding")) continue;  // we always frame by length
      if (iequals(name, "Content-Length")) {
        // Kept only where there is no body to measure (HEAD of an object).
        if (!bodiless || length_forbidden) continue;
        have_length = true;
      }
      if (iequals(name, "Date")) have_date = true;
      if (iequals(name, "Server")) have_server = true;
      append_sanitized(head_, name);
      head_.append(": ");
      append_sanitized(head_, value);
      head_.append("\r\n");
    }
    if (!have_length && add_length) {
      head_.append("Content-Length: ");
      head_.append(std::to_string(res_.body.size()));
      head_.append("\r\n");
    }
    if (!have_date) {
      head_.append("Date: ");
      head_.append(http_date());
      head_.append("\r\n");
    }
    if (!have_server && !state_.opts.server_header.empty()) {
      head_.append("Server: ");
      head_.append(state_.opts.server_header);
      head_.append("\r\n");
    }
    if (close)
      head_.append("Connection: close\r\n");
    else if (parser_ && parser_->version() < 11)
      head_.append("Connection: keep-alive\r\n");
    head_.append("\r\n");

    close_after_ = close;
    std::array<net::const_buffer, 2> bufs{
        net::buffer(head_),
        bodiless ? net::const_buffer() : net::buffer(res_.body.data(), res_.body.size())};
    pending_.emplace(bufs);
    write_some();
  }

  // Like net::async_write, but with a deadline per write so large responses
  // to slow readers are not cut off while a stalled reader still is.
  void write_some() {
    self().lowest().expires_after(state_.opts.request_timeout);
    self().stream().async_write_some(*pending_,
                                     [self = self().shared_from_this()](error_code ec,
                                                                        size_t n) {
                                       self->on_write(ec, n);
                                     });
  }

  void on_write(error_code ec, size_t n) {
    if (ec) return;
    pending_->consume(n);
    if (beast::buffer_bytes(*pending_) != 0) return write_some();
    pending_.reset();
    if (close_after_) return self().close_gracefully();
    do_read();
  }

  void reset_request() {
    req_.method.clear();
    req_.target.clear();
    req_.headers.clear();
    if (req_.body.capacity() > kKeepCapacity)
      std::string().swap(req_.body);
    else
      req_.body.clear();
    req_.remote_ip.clear();
    res_ = Response{};
    if (buffer_.size() == 0 && buffer_.capacity() > kKeepCapacity) buffer_.shrink_to_fit();
    parser_.emplace(req_);
    parser_->eager(true);  // one put() parses header and all buffered body
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(state_.opts.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(state_.opts.max_body_bytes);
  }

  ServerState& state_;
  beast::flat_buffer buffer_;
  std::string remote_ip_;
  bool secure_;
  bool idle_ = false;
  bool close_after_ = false;
  bool linger_on_close_ = false;  // closing on an error: the client may still be sending
  Request req_;
  Response res_;
  std::optional<RequestParser> parser_;
  std::string head_;
  std::optional<beast::buffers_suffix<std::array<net::const_buffer, 2>>> pending_;
};

class TlsSession final : public HttpSession<TlsSession>,
                         public Connection,
                         public std::enable_shared_from_this<TlsSession> {
 public:
  TlsSession(ServerState& server, beast::tcp_stream&& stream, beast::flat_buffer buffer,
             std::string remote_ip)
      : HttpSession(server, std::move(buffer), std::move(remote_ip), true),
        Connection(server, stream.get_executor()),
        stream_(std::move(stream), *server.ssl_ctx) {}

  void run() {
    if (!enroll(shared_from_this())) return;
    lowest().expires_after(state_.opts.request_timeout);
    // The bytes already read while detecting TLS are the ClientHello's start.
    // (`used = 0`: Boost 1.81 constrains this overload's handler with the
    // wrong signature, void(error_code); the default satisfies both.)
    stream_.async_handshake(ssl::stream_base::server, buffer_.data(),
                            [self = shared_from_this()](error_code ec, size_t used = 0) {
                              if (ec) return;
                              self->buffer_.consume(used);
                              self->do_read();
                            });
  }

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void close_gracefully() {
    lowest().expires_after(kTlsShutdownTime);
    stream_.async_shutdown([self = shared_from_this()](error_code) {
      error_code ignored;
      self->lowest().socket().close(ignored);
    });
  }

  void on_server_stop() override {
    if (idle_) lowest().cancel();
  }

 private:
  beast::ssl_stream<beast::tcp_stream> stream_;
};

class PlainSession final : public HttpSession<PlainSession>,
                           public Connection,
                           public std::enable_shared_from_this<PlainSession> {
 public:
  PlainSession(ServerState& server, tcp::socket&& socket)
      : HttpSession(server, beast::flat_buffer(), remote_ip_of(socket), false),
        Connection(server, socket.get_executor()),
        stream_(std::move(socket)) {}

  void run() {
    if (!enroll(shared_from_this())) return;
    // Accepted sockets already live on their own strand.
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->start(); });
  }

  beast::tcp_stream& stream() { return stream_; }
  beast::tcp_stream& lowest() { return stream_; }

  // Sends FIN after our last response. After an error the client may still be
  // sending, so read and discard until it closes, lest a RST destroy our
  // response before the client has read it (see kLingerTime).
  void close_gracefully() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || !linger_on_close_) return;
    buffer_.clear();
    lingered_ = 0;
    stream_.expires_after(kLingerTime);
    linger();
  }

  void on_server_stop() override {
    if (idle_) stream_.cancel();
  }

 private:
  void start() {
    if (!state_.ssl_ctx) return do_read();
    idle_ = true;
    stream_.expires_after(state_.opts.idle_timeout);
    beast::async_detect_ssl(stream_, buffer_,
                            [self = shared_from_this()](error_code ec, bool is_tls) {
                              self->on_detect(ec, is_tls);
                            });
  }

  void on_detect(error_code ec, bool is_tls) {
    idle_ = false;
    if (ec) {
      if (ec == net::error::operation_aborted) close_gracefully();
      return;
    }
    if (!is_tls) return do_read();
    std::make_shared<TlsSession>(state_, std::move(stream_), std::move(buffer_), remote_ip_)
        ->run();
  }

  void linger() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (!ec && self->lingered_ < kLingerBytes) self->linger();
                            });
  }

  beast::tcp_stream stream_;
  size_t lingered_ = 0;
  std::array<char, 4096> drain_{};
};

tcp::endpoint resolve_endpoint(net::io_context& ioc, const std::string& host, uint16_t port) {
  error_code ec;
  auto addr = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (!ec) return {addr, port};
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve listen address '" + host + "': " + ec.message());
  return results.begin()->endpoint();
}

void setup_tls(ssl::context& ctx, const ServerOptions& opts) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                  ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  try {
    if (!opts.tls_cert_file.empty() || !opts.tls_key_file.empty()) {
      if (opts.tls_cert_file.empty() || opts.tls_key_file.empty())
        throw std::runtime_error("both a certificate and a key file are needed");
      ctx.use_certificate_chain_file(opts.tls_cert_file);
      ctx.use_private_key_file(opts.tls_key_file, ssl::context::pem);
    } else if (!opts.tls_dir.empty()) {
      const TlsFiles files = ensure_self_signed_certificate(opts.tls_dir);
      ctx.use_certificate_chain_file(files.cert_file);
      ctx.use_private_key_file(files.key_file, ssl::context::pem);
    } else {
      const PemCertificate pem = generate_self_signed_certificate();
      ctx.use_certificate_chain(net::buffer(pem.cert_pem));
      ctx.use_private_key(net::buffer(pem.key_pem), ssl::context::pem);
    }
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(std::string("TLS setup failed: ") + e.what());
  }
}

void ServerState::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open() || stopping.load()) return;
      // Out of file descriptors, say: back off instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](error_code wait_ec) {
        if (!wait_ec && acceptor.is_open()) do_accept();
      });
      return;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<PlainSession>(*this, std::move(socket))->run();
    do_accept();
  });
}

}  // namespace

struct Server::Impl : ServerState {
  using ServerState::ServerState;
};

Server::Server(ServerOptions options, RequestHandler handler) {
  const size_t hw = std::max(1u, std::thread::hardware_concurrency());
  if (options.threads == 0) options.threads = hw;
  const int concurrency = static_cast<int>(options.threads);
  impl_ = std::make_unique<Impl>(std::move(options), std::move(handler), concurrency);
  ServerState& s = *impl_;

  if (s.opts.tls) {
    s.ssl_ctx.emplace(ssl::context::tls_server);
    setup_tls(*s.ssl_ctx, s.opts);
  }

  const tcp::endpoint ep = resolve_endpoint(s.ioc, s.opts.host, s.opts.port);
  error_code ec;
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + s.opts.host + ":" +
                             std::to_string(s.opts.port) + ": " + ec.message());
  s.bound_port = s.acceptor.local_endpoint().port();
}

Server::~Server() {
  if (!impl_) return;
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->ioc.stop();
}

uint16_t Server::port() const { return impl_->bound_port; }
const ServerOptions& Server::options() const { return impl_->opts; }

void Server::run() {
  ServerState& s = *impl_;
  auto work = net::make_work_guard(s.ioc);
  net::post(s.accept_strand, [&s] {
    if (!s.stopping.load()) s.do_accept();
  });

  std::vector<std::thread> workers;
  workers.reserve(s.opts.threads);
  for (size_t i = 0; i < s.opts.threads; ++i) {
    workers.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own errors; this is a last line of defence.
          spdlog::error("http: worker caught: {}", e.what());
        }
      }
    });
  }

  {
    std::unique_lock lk(s.mu);
    s.cv.wait(lk, [&] { return s.stop_requested; });
    s.cv.wait_for(lk, s.opts.stop_grace, [&] { return s.connections.empty(); });
  }
  work.reset();
  s.ioc.stop();
  for (auto& t : workers) t.join();
  error_code ignored;
  s.acceptor.close(ignored);
}

void Server::stop() {
  ServerState& s = *impl_;
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lk(s.mu);
    if (s.stop_requested) return;
    s.stop_requested = true;
    s.stopping.store(true);
    live.reserve(s.connections.size());
    for (auto& [ptr, weak] : s.connections)
      if (auto c = weak.lock()) live.push_back(std::move(c));
    s.cv.notify_all();
  }
  net::post(s.accept_strand, [&s] {
    error_code ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
  });
  for (auto& c : live) net::post(c->executor(), [c] { c->on_server_stop(); });
}

}  // namespace terrarium::http
