// libFuzzer target: the HTTP/1.x front end (http::Server). One server runs
// in-process on a free port; each input is written raw to a fresh connection,
// which is then half-closed, and the answer is read until the server closes.
// The server must neither crash (the sanitizers watch its thread too) nor
// hang (no close within kDeadline), and whatever it sends must be HTTP/1.1.
// Limits are set low so 413/431 are reachable with short inputs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "fuzz_common.hpp"
#include "http/server.hpp"

using namespace terrarium;

namespace {

constexpr auto kDeadline = std::chrono::seconds(10);

// Exercises what handlers read from a request, then answers with a summary.
http::Response handle(http::Request& request) {
  http::Response response;
  size_t n = request.path().size() + request.raw_query().size();
  for (const auto& [k, v] : request.query_params()) n += k.size() + v.size();
  if (auto host = request.header("Host")) n += host->size();
  response.set_header("Content-Type", "text/plain");
  response.body = request.method + " " + std::to_string(n) + " " +
                  std::to_string(request.headers.size()) + " " +
                  std::to_string(request.body.size()) + "\n";
  return response;
}

uint16_t server_port() {
  static const uint16_t port = [] {
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 1;
    options.max_header_bytes = 2048;
    options.max_body_bytes = 1024;
    options.idle_timeout = std::chrono::seconds(30);
    options.request_timeout = std::chrono::seconds(30);
    // Never destroyed: its worker thread serves until the process exits.
    http::Server* server = std::make_unique<http::Server>(options, handle).release();
    std::thread([server] { server->run(); }).detach();
    return server->port();
  }();
  return port;
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) fuzz::fail("socket", "cannot create");
  }
  ~Socket() {
    // Reset instead of FIN: no TIME_WAIT, so a long run does not exhaust ports.
    const linger abortive{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Half-closing first leaves each connection in TIME_WAIT on our side, and a
// long run at thousands of connections a second would exhaust the ephemeral
// ports of one address pair; rotating the source over 127.0.0.0/8 avoids it.
std::unique_ptr<Socket> connect_to_server() {
  static uint32_t counter = 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int error = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto sock = std::make_unique<Socket>();
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(0x7f000000u | (1 + (counter++ % 0xfffffeu)));
    if (::bind(sock->fd(), reinterpret_cast<const sockaddr*>(&local), sizeof local) == 0 &&
        ::connect(sock->fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0)
      return sock;
    error = errno;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  fuzz::fail("connect", std::string("the server does not accept connections: ") +
                            std::strerror(error));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::unique_ptr<Socket> connection = connect_to_server();
  const Socket& sock = *connection;

  // The server may answer (413, 431, 400) and close before reading it all.
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = ::send(sock.fd(), data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  ::shutdown(sock.fd(), SHUT_WR);

  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      fuzz::fail("http::Server", "connection not closed after the client's FIN (hang)");
    pollfd p{sock.fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
    if (n <= 0) break;  // closed (or reset after an error answer)
    answer.append(buf, static_cast<size_t>(n));
  }
  if (!answer.empty() && answer.rfind("HTTP/1.1 ", 0) != 0)
    fuzz::fail("http::Server", "answer is not HTTP/1.1: " + answer.substr(0, 80));
  return 0;
}
