#include "http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>

namespace terrarium::http {

namespace beast = boost::beast;
namespace asio = boost::asio;

Response simple_request(const std::string& endpoint, const std::string& method,
                        const std::string& target, const std::string& body, const Headers& headers) {
  const std::string scheme = "http://";
  if (endpoint.rfind(scheme, 0) != 0) throw std::runtime_error("only http:// endpoints are supported");
  std::string authority = endpoint.substr(scheme.size());
  authority = authority.substr(0, authority.find('/'));
  const auto colon = authority.rfind(':');
  const std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);

  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(resolver.resolve(host, port));

  beast::http::request<beast::http::string_body> request{
      beast::http::string_to_verb(method), target, 11};
  request.set(beast::http::field::host, authority);
  for (const auto& [k, v] : headers) request.set(k, v);
  request.body() = body;
  request.prepare_payload();
  beast::http::write(stream, request);

  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> reply;
  beast::http::read(stream, buffer, reply);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);

  Response response;
  response.status = static_cast<int>(reply.result_int());
  for (const auto& field : reply) response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  response.body = std::move(reply.body());
  return response;
}

}  // namespace terrarium::http
