// The rest-xml family (S3, CloudFront, Route 53): HTTP bindings from
// rest_bindings, the body as XML (xml_body). Errors are S3's bare
// <Error> document for S3 and <ErrorResponse><Error>...</Error></ErrorResponse>
// for the others, as botocore's RestXMLParser expects of each.
#include <map>

#include "protocol/families.hpp"
#include "protocol/rest_bindings.hpp"
#include "protocol/xml_body.hpp"

namespace terrarium::protocol {
namespace {

namespace json = boost::json;

constexpr std::string_view kMalformedBodyCode = "MalformedXML";
// A header or query value that is not of its member's type: S3 answers
// InvalidArgument.
constexpr std::string_view kMalformedBindingCode = "InvalidArgument";
constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

bool is_s3(const ServiceModel& model) {
  const auto id = model.metadata_string("serviceId");
  return id == "S3" || model.service() == "s3";
}

// The document namespace of a service's responses; botocore's models do not
// carry it, so it is known here per service.
std::string service_namespace(const ServiceModel& model) {
  if (auto ns = model.metadata_string("xmlNamespace"); !ns.empty()) return std::string(ns);
  const auto id = model.metadata_string("serviceId");
  const std::string version(model.metadata_string("apiVersion"));
  if (is_s3(model)) return std::string(kS3Namespace);
  if (id == "Route 53") return "https://route53.amazonaws.com/doc/" + version + "/";
  if (id == "CloudFront") return "http://cloudfront.amazonaws.com/doc/" + version + "/";
  return {};
}

// S3 names its response documents differently from the model's output shapes
// (which carry no locationName); SDKs that check the root expect these.
std::string_view s3_root_name(std::string_view output_shape) {
  static const std::map<std::string_view, std::string_view> kRoots = {
      {"CompleteMultipartUploadOutput", "CompleteMultipartUploadResult"},
      {"CreateMultipartUploadOutput", "InitiateMultipartUploadResult"},
      {"CreateSessionOutput", "CreateSessionResult"},
      {"DeleteObjectsOutput", "DeleteResult"},
      {"GetBucketAccelerateConfigurationOutput", "AccelerateConfiguration"},
      {"GetBucketAclOutput", "AccessControlPolicy"},
      {"GetObjectAclOutput", "AccessControlPolicy"},
      {"GetBucketCorsOutput", "CORSConfiguration"},
      {"GetBucketLifecycleOutput", "LifecycleConfiguration"},
      {"GetBucketLifecycleConfigurationOutput", "LifecycleConfiguration"},
      {"GetBucketLoggingOutput", "BucketLoggingStatus"},
      {"NotificationConfigurationDeprecated", "NotificationConfiguration"},
      {"NotificationConfiguration", "NotificationConfiguration"},
      {"GetBucketRequestPaymentOutput", "RequestPaymentConfiguration"},
      {"GetBucketTaggingOutput", "Tagging"},
      {"GetObjectTaggingOutput", "Tagging"},
      {"GetBucketVersioningOutput", "VersioningConfiguration"},
      {"GetBucketWebsiteOutput", "WebsiteConfiguration"},
      {"GetObjectAttributesOutput", "GetObjectAttributesResponse"},
      {"ListBucketAnalyticsConfigurationsOutput", "ListBucketAnalyticsConfigurationResult"},
      {"ListBucketInventoryConfigurationsOutput", "ListInventoryConfigurationsResult"},
      {"ListBucketMetricsConfigurationsOutput", "ListMetricsConfigurationsResult"},
      {"ListBucketsOutput", "ListAllMyBucketsResult"},
      {"ListDirectoryBucketsOutput", "ListAllMyDirectoryBucketsResult"},
      {"ListMultipartUploadsOutput", "ListMultipartUploadsResult"},
      {"ListObjectVersionsOutput", "ListVersionsResult"},
      {"ListObjectsOutput", "ListBucketResult"},
      {"ListObjectsV2Output", "ListBucketResult"},
      {"ListPartsOutput", "ListPartsResult"},
  };
  auto it = kRoots.find(output_shape);
  return it == kRoots.end() ? std::string_view() : it->second;
}

xml::ReadOptions read_options() {
  xml::ReadOptions o;
  o.default_timestamp_format = xml::kIso8601;
  o.skip_http_bound_members = true;
  o.error_code = kMalformedBodyCode;
  return o;
}

xml::WriteOptions write_options() {
  xml::WriteOptions o;
  o.default_timestamp_format = xml::kIso8601;
  o.skip_http_bound_members = true;
  return o;
}

void add_namespace(pugi::xml_node root, const Value* xml_namespace, const std::string& fallback) {
  if (xml_namespace && !xml_namespace->is_null()) {
    xml::add_namespace(root, xml_namespace);
  } else if (!fallback.empty()) {
    root.append_attribute("xmlns").set_value(fallback.c_str());
  }
}

void set_request_id_headers(const ServiceModel& model, const std::string& request_id,
                            http::Response& response) {
  if (request_id.empty()) return;
  if (is_s3(model)) {
    response.set_header("x-amz-request-id", request_id);
    response.set_header("x-amz-id-2", request_id);
  } else {
    response.set_header("x-amzn-RequestId", request_id);
  }
}

class RestXmlProtocol final : public Protocol {
 public:
  Value parse_request(const ServiceModel& model, const Operation& op,
                      const http::Request& request) const override {
    Object out;
    if (!op.input) return out;
    const Shape& input = *op.input;
    rest::parse_bound_members(model, op, request, nullptr, out, kMalformedBindingCode);
    const std::string body = rest::decoded_body(request);

    const std::string payload = rest::payload_member_name(input);
    if (!payload.empty()) {
      const auto& ref = input.at("members").as_object().at(payload).as_object();
      if (rest::is_raw_payload(model, input)) {
        if (!body.empty()) out[payload] = json::string(body);
      } else if (!rest::is_blank(body)) {
        pugi::xml_document doc;
        xml::parse_document(doc, body, kMalformedBodyCode);
        out[payload] = xml::read_value(model, model.resolve(ref), doc.document_element(), &ref,
                                       read_options());
      }
      return out;
    }
    if (rest::is_blank(body) || !rest::has_body_members(input)) return out;
    pugi::xml_document doc;
    xml::parse_document(doc, body, kMalformedBodyCode);
    Value parsed = xml::read_members(model, input, doc.document_element(), read_options());
    if (auto* obj = parsed.if_object())
      for (auto& [k, v] : *obj)
        if (!out.contains(k)) out[k] = std::move(v);
    return out;
  }

  http::Response serialize_response(const ServiceModel& model, const Operation& op,
                                    const Value& output,
                                    const std::string& request_id) const override {
    http::Response response;
    response.status = rest::response_status(op);
    set_request_id_headers(model, request_id, response);
    if (!op.output) return response;
    const Shape& shape = *op.output;
    rest::serialize_bound_members(model, shape, output, response);
    const auto* obj = output.if_object();

    const std::string payload = rest::payload_member_name(shape);
    if (!payload.empty()) {
      const auto& ref = shape.at("members").as_object().at(payload).as_object();
      const Value* v = obj ? obj->if_contains(payload) : nullptr;
      if (!v || v->is_null()) return response;
      if (rest::is_raw_payload(model, shape)) {
        rest::set_raw_payload(model, ref, *v, response);
        return response;
      }
      const Shape& target = model.resolve(ref);
      std::string root_name(payload);
      if (const auto* ln = ref.if_contains("locationName"); ln && ln->is_string())
        root_name = std::string(ln->get_string());
      pugi::xml_document doc;
      auto root = doc.append_child(root_name.c_str());
      const Value* ns = ref.if_contains("xmlNamespace");
      if (!ns) ns = target.if_contains("xmlNamespace");
      add_namespace(root, ns, service_namespace(model));
      xml::write_value(model, target, *v, root, &ref, write_options());
      set_xml_body(doc, response);
      return response;
    }

    if (!rest::has_body_members(shape, true)) return response;
    if (is_s3(model) && op.output_shape_name == "GetBucketLocationOutput") {
      // S3 answers with the bare constraint as the document's text, and
      // botocore reads it that way.
      pugi::xml_document doc;
      auto root = doc.append_child("LocationConstraint");
      root.append_attribute("xmlns").set_value(std::string(kS3Namespace).c_str());
      if (auto lc = get_string(output, "LocationConstraint")) root.text().set(lc->c_str());
      set_xml_body(doc, response);
      return response;
    }
    std::string root_name = op.output_shape_name;
    if (const auto* ln = shape.if_contains("locationName"); ln && ln->is_string())
      root_name = std::string(ln->get_string());
    else if (is_s3(model) && !s3_root_name(op.output_shape_name).empty())
      root_name = std::string(s3_root_name(op.output_shape_name));
    pugi::xml_document doc;
    auto root = doc.append_child(root_name.c_str());
    add_namespace(root, shape.if_contains("xmlNamespace"), service_namespace(model));
    Shape storage;
    xml::write_members(model, rest::response_body_shape(shape, storage),
                       output.is_null() ? Value(Object()) : output, root, write_options());
    set_xml_body(doc, response);
    return response;
  }

  http::Response serialize_error(const ServiceModel& model, const Operation* op,
                                 const AwsError& error,
                                 const std::string& request_id) const override {
    http::Response response;
    const Shape* shape = rest::error_shape(model, op, error.code());
    response.status = rest::error_status(shape, error);
    set_request_id_headers(model, request_id, response);

    // Members written by hand below are kept out of the modeled fields.
    Object fields;
    for (const auto& [k, v] : error.fields())
      if (!iequals(k, "Code") && !iequals(k, "Message") &&
          !iequals(k, "RequestId"))
        fields[k] = v;
    if (shape) rest::serialize_bound_members(model, *shape, fields, response);
    // A HEAD response has no body; clients read the code from the status.
    if (op && op->http_method == "HEAD") return response;

    pugi::xml_document doc;
    pugi::xml_node error_node;
    if (is_s3(model)) {
      error_node = doc.append_child("Error");
    } else {
      auto root = doc.append_child("ErrorResponse");
      add_namespace(root, nullptr, service_namespace(model));
      error_node = root.append_child("Error");
      error_node.append_child("Type").text().set(error.sender_fault() ? "Sender" : "Receiver");
    }
    error_node.append_child("Code").text().set(error.code().c_str());
    error_node.append_child("Message").text().set(error.message().c_str());
    if (shape) {
      Object body_fields;
      const auto& members =
          shape->contains("members") ? shape->at("members").as_object() : Object();
      for (const auto& [k, v] : fields)
        if (const auto* ref = members.if_contains(k); ref && ref->is_object())
          if (!rest::is_location_bound(ref->get_object())) body_fields[k] = v;
      xml::write_members(model, *shape, body_fields, error_node, write_options());
    }
    if (is_s3(model)) {
      error_node.append_child("RequestId").text().set(request_id.c_str());
      error_node.append_child("HostId").text().set(request_id.c_str());
    } else {
      doc.document_element().append_child("RequestId").text().set(request_id.c_str());
    }
    set_xml_body(doc, response);
    return response;
  }

  std::string validation_error_code() const override { return "InvalidArgument"; }

 private:
  static void set_xml_body(const pugi::xml_document& doc, http::Response& response) {
    response.body = xml::to_string(doc);
    if (!response.header("Content-Type")) response.set_header("Content-Type", "application/xml");
  }
};

}  // namespace

const Protocol& rest_xml_protocol() {
  static const RestXmlProtocol instance;
  return instance;
}

}  // namespace terrarium::protocol
