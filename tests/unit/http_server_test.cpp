// The HTTP server against raw sockets: what goes over the wire is the test.
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/tls.hpp"

namespace terrarium::http {
namespace {

using namespace std::chrono_literals;

// Echoes what the server parsed, so tests see the Request as handlers do.
Response echo(Request& req) {
  Response res;
  res.set_header("Content-Type", "text/plain");
  res.set_header("X-Secure", req.secure ? "1" : "0");
  res.set_header("X-Remote-Ip", req.remote_ip);
  if (auto v = req.header("x-test-header")) res.set_header("X-Echo-Header", std::string(*v));
  res.body = req.method + " " + req.target + "\n" + req.body;
  return res;
}

class TestServer {
 public:
  explicit TestServer(ServerOptions opts, RequestHandler handler = echo) {
    opts.port = 0;
    opts.threads = 2;
    server_ = std::make_unique<Server>(std::move(opts), std::move(handler));
    thread_ = std::thread([this] {
      server_->run();
      returned_ = true;
    });
  }
  ~TestServer() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }
  Server& server() { return *server_; }
  uint16_t port() const { return server_->port(); }
  bool returned() const { return returned_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

struct HttpResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  std::string header(const std::string& name) const {
    std::istringstream in(head);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string n = line.substr(0, colon);
      if (strcasecmp(n.c_str(), name.c_str()) == 0) {
        auto v = line.substr(colon + 1);
        return v.substr(v.find_first_not_of(' '));
      }
    }
    return {};
  }
};

// A blocking client over a plain socket (or an OpenSSL session) with a
// receive timeout so that a misbehaving server fails the test, never hangs it.
class Client {
 public:
  explicit Client(uint16_t port, bool tls = false) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
    if (tls) {
      ctx_ = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
      ssl_ = SSL_new(ctx_);
      SSL_set_fd(ssl_, fd_);
      SSL_set_tlsext_host_name(ssl_, "localhost");
      if (SSL_connect(ssl_) != 1) throw std::runtime_error("TLS handshake failed");
    }
  }
  ~Client() {
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                             : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads more bytes into the buffer; false on EOF, error or timeout.
  bool fill() {
    char buf[16384];
    const ssize_t n = ssl_ ? SSL_read(ssl_, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buf_.append(buf, static_cast<size_t>(n));
    return true;
  }

  // One response, framed by Content-Length (responses to HEAD: `head_only`).
  HttpResponse read_response(bool head_only = false) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) throw std::runtime_error("connection ended before a response: " + buf_);
    HttpResponse r;
    r.head = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    r.status = std::stoi(r.head.substr(9, 3));
    const std::string cl = r.header("Content-Length");
    const size_t len = head_only || cl.empty() ? 0 : std::stoul(cl);
    while (buf_.size() < len)
      if (!fill()) throw std::runtime_error("connection ended inside a body");
    r.body = buf_.substr(0, len);
    buf_.erase(0, len);
    return r;
  }

  // True when the server closes the connection (EOF or reset) within `within`.
  bool closed_within(std::chrono::milliseconds within) {
    timeval tv{static_cast<time_t>(within.count() / 1000),
               static_cast<suseconds_t>((within.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    for (;;) {
      const ssize_t n = ::recv(fd_, &c, 1, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;  // EAGAIN: timed out, still open
    }
  }

  const std::string& buffered() const { return buf_; }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string buf_;
};

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  TestServer ts({});
  Client c(ts.port());
  c.send("GET /a?x=1 HTTP/1.1\r\nHost: localhost\r\nX-Test-Header: hello\r\n\r\n");
  auto r1 = c.read_response();
  EXPECT_EQ(r1.status, 200);
  EXPECT_EQ(r1.body, "GET /a?x=1\n");
  EXPECT_EQ(r1.header("X-Echo-Header"), "hello");
  EXPECT_EQ(r1.header("X-Remote-Ip"), "127.0.0.1");
  EXPECT_EQ(r1.header("X-Secure"), "0");
  EXPECT_EQ(r1.header("Server"), "Terrarium");
  EXPECT_FALSE(r1.header("Date").empty());
  EXPECT_EQ(r1.header("Connection"), "");

  c.send("POST /b HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
  auto r2 = c.read_response();
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(r2.body, "POST /b\nhello");
}

TEST(HttpServer, PipelinedRequestsAnswerInOrder) {
  TestServer ts({});
  Client c(ts.port());
  c.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPUT /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
         "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().body, "GET /1\n");
  EXPECT_EQ(c.read_response().body, "PUT /2\nabc");
  EXPECT_EQ(c.read_response().body, "GET /3\n");
}

TEST(HttpServer, ConnectionCloseAndHttp10CloseAfterResponse) {
  TestServer ts({});
  {
    Client c(ts.port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto r = c.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Connection"), "close");
    EXPECT_TRUE(c.closed_within(1s));
  }
  {
    Client c(ts.port());
    c.send("GET /old HTTP/1.0\r\n\r\n");
    auto r = c.read_response();
    EXPECT_EQ(r.body, "GET /old\n");
    EXPECT_TRUE(c.closed_within(1s));
  }
  {
    // HTTP/1.0 asking for keep-alive gets it, and is told so.
    Client c(ts.port());
    c.send("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = c.read_response();
    EXPECT_EQ(r.header("Connection"), "keep-alive");
    c.send("GET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(c.read_response().body, "GET /2\n");
  }
}

TEST(HttpServer, ExpectContinueSends100BeforeTheBody) {
  TestServer ts({});
  Client c(ts.port());
  c.send("PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
  auto cont = c.read_response();
  EXPECT_EQ(cont.status, 100);
  c.send("hello world");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "PUT /obj\nhello world");
}

TEST(HttpServer, ChunkedRequestBodyIsDecoded) {
  TestServer ts({});
  Client c(ts.port());
  c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /c\nWikipedia");
  c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().body, "GET /after\n");
}

TEST(HttpServer, OversizedHeaderIs431) {
  ServerOptions opts;
  opts.max_header_bytes = 1024;
  TestServer ts(opts);
  Client c(ts.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 431);
  EXPECT_TRUE(c.closed_within(1s));
}

TEST(HttpServer, MalformedRequestsAre400) {
  TestServer ts({});
  for (std::string bad : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                          "GET / HTTP/9.9\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    Client c(ts.port());
    c.send(bad);
    auto r = c.read_response();
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(c.closed_within(1s)) << bad;
  }
}

TEST(HttpServer, BodyOverTheLimitIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 100;
  TestServer ts(opts);
  {
    // Refused on the announced length, before any body byte is sent.
    Client c(ts.port());
    c.send("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
    auto r = c.read_response();
    EXPECT_EQ(r.status, 413);
    EXPECT_TRUE(c.closed_within(3s));
  }
  {
    Client c(ts.port());
    c.send("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           "40\r\n" + std::string(64, 'a') + "\r\n40\r\n" + std::string(64, 'b') + "\r\n0\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 413);
  }
  {
    Client c(ts.port());
    c.send("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'z'));
    EXPECT_EQ(c.read_response().status, 200);
  }
}

TEST(HttpServer, SlowAndIdleClientsAreDisconnected) {
  ServerOptions opts;
  opts.idle_timeout = 300ms;
  opts.request_timeout = 300ms;
  TestServer ts(opts);
  const auto start = std::chrono::steady_clock::now();
  Client idle(ts.port());
  Client slow_header(ts.port());
  slow_header.send("GET / HTTP/1.1\r\nHost:");
  Client slow_body(ts.port());
  slow_body.send("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(idle.closed_within(2s));
  EXPECT_TRUE(slow_header.closed_within(2s));
  EXPECT_TRUE(slow_body.closed_within(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  // Still serving.
  Client c(ts.port());
  c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 200);
}

TEST(HttpServer, HandlerExceptionIs500AndConnectionSurvives) {
  TestServer ts({}, [](Request& req) -> Response {
    if (req.target == "/throw") throw std::runtime_error("boom");
    return echo(req);
  });
  Client c(ts.port());
  c.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("boom"), std::string::npos);
  c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 200);
}

TEST(HttpServer, ResponseFramingForHeadAnd204AndHandlerHeaders) {
  TestServer ts({}, [](Request& req) {
    Response res;
    if (req.target == "/head") {
      res.set_header("Content-Length", "1234");  // size of the object HEAD describes
    } else if (req.target == "/nocontent") {
      res.status = 204;
    } else if (req.target == "/inject") {
      res.set_header("X-Evil", "a\r\nSet-Cookie: x");
      res.set_header("Content-Length", "999");  // wrong: the server measures the body
      res.body = "12345";
    } else if (req.target == "/close") {
      res.set_header("Connection", "close");
      res.body = "bye";
    }
    return res;
  });
  Client c(ts.port());
  c.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n");
  auto h = c.read_response(true);
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.header("Content-Length"), "1234");
  c.send("GET /nocontent HTTP/1.1\r\nHost: x\r\n\r\n");
  auto n = c.read_response();
  EXPECT_EQ(n.status, 204);
  EXPECT_EQ(n.header("Content-Length"), "");
  c.send("GET /inject HTTP/1.1\r\nHost: x\r\n\r\n");
  auto i = c.read_response();
  EXPECT_EQ(i.body, "12345");
  EXPECT_EQ(i.header("Set-Cookie"), "");
  EXPECT_EQ(i.header("Content-Length"), "5");
  c.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
  auto cl = c.read_response();
  EXPECT_EQ(cl.body, "bye");
  EXPECT_EQ(cl.header("Connection"), "close");
  EXPECT_TRUE(c.closed_within(1s));
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HttpServer, TlsWithGeneratedCertificateAndPlainOnTheSamePort) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("terrarium-tls-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ServerOptions opts;
  opts.tls = true;
  opts.tls_dir = dir.string();
  std::string first_cert;
  {
    TestServer ts(opts);
    first_cert = slurp(dir / "tls" / "cert.pem");
    EXPECT_NE(first_cert.find("BEGIN CERTIFICATE"), std::string::npos);
    EXPECT_EQ(std::filesystem::status(dir / "tls" / "key.pem").permissions() &
                  std::filesystem::perms::group_read,
              std::filesystem::perms::none);
    Client c(ts.port(), true);
    c.send("POST /tls HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc");
    auto r = c.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "POST /tls\nabc");
    EXPECT_EQ(r.header("X-Secure"), "1");
    c.send("GET /again HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(c.read_response().body, "GET /again\n");

    Client plain(ts.port());
    plain.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
    auto p = plain.read_response();
    EXPECT_EQ(p.body, "GET /plain\n");
    EXPECT_EQ(p.header("X-Secure"), "0");
  }
  {
    TestServer ts(opts);  // reuses the stored certificate
    EXPECT_EQ(slurp(dir / "tls" / "cert.pem"), first_cert);
    Client c(ts.port(), true);
    c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 200);
  }
  std::filesystem::remove_all(dir);
}

TEST(HttpServer, TlsInMemoryCertificateWithoutDirectory) {
  ServerOptions opts;
  opts.tls = true;
  TestServer ts(opts);
  Client c(ts.port(), true);
  c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 200);
}

TEST(HttpServer, GeneratedCertificateNamesLocalhost) {
  const PemCertificate pem = generate_self_signed_certificate();
  BIO* bio = BIO_new_mem_buf(pem.cert_pem.data(), static_cast<int>(pem.cert_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  // (*.localhost is in the certificate too, but OpenSSL, like browsers,
  // refuses a wildcard directly under a single-label name.)
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(cert, "example.com", 0, 0, nullptr), 0);
  X509_free(cert);
  BIO_free(bio);
}

TEST(HttpServer, GracefulStopFinishesInFlightAndClosesIdle) {
  std::atomic<bool> in_handler{false};
  auto ts = std::make_unique<TestServer>(ServerOptions{}, [&](Request& req) {
    in_handler = true;
    std::this_thread::sleep_for(300ms);
    return echo(req);
  });
  Client idle(ts->port());
  Client busy(ts->port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!in_handler) std::this_thread::sleep_for(1ms);
  const auto start = std::chrono::steady_clock::now();
  ts->server().stop();
  EXPECT_TRUE(idle.closed_within(1s));
  auto r = busy.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /slow\n");
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_TRUE(busy.closed_within(1s));
  ts->stop();  // joins run()
  EXPECT_TRUE(ts->returned());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // No longer listening.
  EXPECT_THROW(Client late(ts->port()), std::runtime_error);
}

TEST(HttpServer, StopBeforeRunReturnsImmediately) {
  ServerOptions opts;
  opts.port = 0;
  Server s(opts, echo);
  s.stop();
  s.run();
  s.stop();  // idempotent
}

}  // namespace
}  // namespace terrarium::http
