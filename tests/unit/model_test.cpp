#include <gtest/gtest.h>

#include "protocol/model.hpp"
#include "protocol/model_index.hpp"

using namespace terrarium::protocol;

TEST(Model, EmbedsEveryServiceInScope) {
  EXPECT_EQ(model_index().size(), 21u);
  for (const auto& entry : model_index()) EXPECT_FALSE(entry.model_json.empty()) << entry.service;
}

TEST(Model, ParsesOnFirstUse) {
  const ServiceModel* sts = embedded_model("sts");
  ASSERT_NE(sts, nullptr);
  EXPECT_EQ(sts->protocol(), "query");
  const Operation* op = sts->operation("AssumeRole");
  ASSERT_NE(op, nullptr);
  ASSERT_NE(op->input, nullptr);
  EXPECT_TRUE(op->input->contains("members"));
  EXPECT_EQ(embedded_model("sts"), sts);
  EXPECT_EQ(embedded_model("nope"), nullptr);
}
