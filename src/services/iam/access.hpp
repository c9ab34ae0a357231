#pragma once
// What each IAM operation asks IAM to allow (register.cpp), after AWS's
// Service Authorization Reference for IAM: the resource types user, group,
// role, policy, instance-profile, mfa, oidc-provider, saml-provider and
// server-certificate, and the keys iam:PolicyARN, iam:PermissionsBoundary,
// aws:RequestTag/*, aws:TagKeys.
//
// The ARN is the entity's own when it exists (with its path, as policies
// match it); otherwise the path-less ARN of the name the request gives. The
// describers never throw NoSuchEntity: the handler does, once the caller is
// known to be allowed to learn that.
#include <cstdint>
#include <string_view>

#include "services/access.hpp"

namespace terrarium::services::iam {

// Condition keys a describer adds besides the resource.
enum AccessKeys : unsigned {
  kNoKeys = 0,
  kRequestTags = 1u << 0,      // aws:RequestTag/<k> and aws:TagKeys from Tags
  kTagKeys = 1u << 1,          // aws:TagKeys from TagKeys (Untag*)
  kPolicyArn = 1u << 2,        // iam:PolicyARN from PolicyArn (Attach*/Detach*)
  kBoundaryInput = 1u << 3,    // iam:PermissionsBoundary from PermissionsBoundary
  kBoundaryCurrent = 1u << 4,  // iam:PermissionsBoundary: the entity's boundary
  kBoundaryArnKey = 1u << 5,   // iam:PolicyARN from PermissionsBoundary
};

// The user named by UserName, else the calling user (root: "*").
Access user_access(unsigned keys = kNoKeys);
Access group_access(unsigned keys = kNoKeys);
Access role_access(unsigned keys = kNoKeys);
// The managed policy PolicyArn names (CreatePolicy: PolicyName and Path).
Access policy_access(unsigned keys = kNoKeys);
Access instance_profile_access(unsigned keys = kNoKeys);
// SerialNumber, or for CreateVirtualMFADevice VirtualMFADeviceName and Path.
Access mfa_access(unsigned keys = kNoKeys);
// OpenIDConnectProviderArn, or for the create the provider of Url.
Access oidc_provider_access(unsigned keys = kNoKeys);
// SAMLProviderArn, or for the create the provider Name.
Access saml_provider_access(unsigned keys = kNoKeys);
Access server_certificate_access(unsigned keys = kNoKeys);
// An input member holding the ARN of a user, group, role or policy.
Access arn_member_access(std::string_view member);
// CreateServiceLinkedRole: the role it will create; iam:AWSServiceName.
Access service_linked_role_access();
// GetServiceLinkedRoleDeletionStatus: the role named in the task id.
Access deletion_task_access();
// GetAccessKeyLastUsed: the user owning AccessKeyId.
Access access_key_owner_access();

}  // namespace terrarium::services::iam
