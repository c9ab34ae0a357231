// The `terrarium env` helpers that need no server: AWS shared-file editing
// and reading AWS error bodies.
#include <gtest/gtest.h>

#include "cli/aws_client.hpp"
#include "cli/aws_config_file.hpp"

using namespace terrarium::cli;

namespace {

const IniEntries kKeys = {{"aws_access_key_id", "AKIA1"}, {"aws_secret_access_key", "s3cr3t"}};

TEST(AwsConfigFile, AppendsToEmptyAndToExistingFiles) {
  EXPECT_EQ(replace_ini_section("", "prod", kKeys),
            "[prod]\naws_access_key_id = AKIA1\naws_secret_access_key = s3cr3t\n");
  EXPECT_EQ(replace_ini_section("[default]\nx = 1", "prod", {{"k", "v"}}), "[default]\nx = 1\n\n[prod]\nk = v\n");
  EXPECT_EQ(replace_ini_section("[default]\nx = 1\n\n", "prod", {{"k", "v"}}), "[default]\nx = 1\n\n[prod]\nk = v\n");
}

TEST(AwsConfigFile, ReplacesOnlyTheNamedSection) {
  const std::string before =
      "# my keys\n[default]\naws_access_key_id=A\n\n[prod]\naws_access_key_id = OLD\nextra=1\n\n"
      "; staging below\n[stage]\n  aws_access_key_id   =  S  \n";
  EXPECT_EQ(replace_ini_section(before, "prod", {{"k", "v"}}),
            "# my keys\n[default]\naws_access_key_id=A\n\n[prod]\nk = v\n\n"
            "; staging below\n[stage]\n  aws_access_key_id   =  S  \n");
}

TEST(AwsConfigFile, MatchesConfigSectionsLikeBotocore) {
  const std::string before = "[profile   prod ]\nregion = eu-west-1\n[profile production]\nregion = x\n";
  EXPECT_EQ(replace_ini_section(before, config_section("prod"), {{"region", "us-east-1"}}),
            "[profile prod]\nregion = us-east-1\n[profile production]\nregion = x\n");
  EXPECT_EQ(config_section("default"), "default");
  EXPECT_EQ(credentials_section("prod"), "prod");
}

TEST(AwsConfigFile, MergesDuplicateSectionsAndKeepsCrlf) {
  const std::string before = "[prod]\r\na = 1\r\n\r\n[other]\r\nb = 2\r\n\r\n[prod]\r\nc = 3\r\n";
  EXPECT_EQ(replace_ini_section(before, "prod", {{"k", "v"}}), "[prod]\r\nk = v\r\n\r\n[other]\r\nb = 2\r\n\r\n");
}

TEST(AwsConfigFile, RemovesASectionAndItsSpacing) {
  const std::string before = "[default]\nx = 1\n\n[prod]\nk = v\n\n# about stage\n[stage]\ny = 2\n";
  EXPECT_EQ(remove_ini_section(before, "prod"), "[default]\nx = 1\n\n# about stage\n[stage]\ny = 2\n");
  EXPECT_EQ(remove_ini_section(before, "stage"), "[default]\nx = 1\n\n[prod]\nk = v\n\n# about stage\n");
  EXPECT_EQ(remove_ini_section(before, "nope"), before);
  // Nested (indented) keys belong to their section.
  EXPECT_EQ(remove_ini_section("[profile p]\ns3 =\n  max_concurrent_requests = 2\n[profile q]\n", "profile p"),
            "[profile q]\n");
}

// Found by tests/fuzz/fuzz_aws_config_file.cpp: botocore's configparser
// takes "[prod] # note" (anything after the last ']') as section prod, so
// missing it appended a duplicate [prod] and the AWS CLI then refused the
// whole file (DuplicateSectionError).
TEST(AwsConfigFile, ReadsHeadersLikeConfigparser) {
  const std::string before = "[prod] # my account\nk = old\n\n[stage]x\ny = 2\n";
  EXPECT_EQ(replace_ini_section(before, "prod", {{"k", "v"}}), "[prod] # my account\nk = v\n\n[stage]x\ny = 2\n");
  EXPECT_EQ(replace_ini_section(before, "stage", {{"y", "3"}}), "[prod] # my account\nk = old\n\n[stage]x\ny = 3\n");
  EXPECT_EQ(remove_ini_section(before, "prod"), "[stage]x\ny = 2\n");
  // "[]" names no section for configparser; it stays a line of the one before.
  EXPECT_EQ(remove_ini_section("[a]\n[]\n[b]\n", "a"), "[b]\n");
}

TEST(AwsErrorBody, ReadsJsonQueryAndHeaderForms) {
  EXPECT_EQ(parse_error_body(400, R"({"__type":"com.amazonaws#AWSOrganizationsNotInUseException","Message":"no"})", ""),
            std::make_pair(std::string("AWSOrganizationsNotInUseException"), std::string("no")));
  EXPECT_EQ(parse_error_body(400, R"({"message":"m"})", "AccessDeniedException:http://internal.amazon.com/"),
            std::make_pair(std::string("AccessDeniedException"), std::string("m")));
  EXPECT_EQ(parse_error_body(404,
                             "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
                             "<Message>The user cannot be found.</Message></Error></ErrorResponse>",
                             ""),
            std::make_pair(std::string("NoSuchEntity"), std::string("The user cannot be found.")));
  EXPECT_EQ(parse_error_body(502, "bad gateway", "").first, "HTTP502");
}

TEST(AwsXml, FindsNestedElements) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
      "</Credentials></AssumeRoleResult></AssumeRoleResponse>"));
  EXPECT_EQ(element_text(doc, "AccessKeyId"), "ASIA1");
  EXPECT_EQ(element_text(doc, "Missing"), "");
}

}  // namespace
