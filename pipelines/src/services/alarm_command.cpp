#include <waferscope/pipelines/services/alarm_command.h>

#include <utility>

namespace waferscope::pipelines {

namespace {

AlarmCommand make(AlarmCommand::Kind kind, std::string tag, core::AlarmActor actor, std::string comment)
{
    AlarmCommand command;
    command.kind = kind;
    command.tag = std::move(tag);
    command.actor = std::move(actor);
    command.comment = std::move(comment);
    return command;
}

} // namespace

AlarmCommand AlarmCommand::acknowledge(std::string tag, core::AlarmActor actor, std::string comment)
{
    return make(Kind::Acknowledge, std::move(tag), std::move(actor), std::move(comment));
}

AlarmCommand AlarmCommand::acknowledgeAll(std::vector<std::string> shownTags, core::AlarmActor actor,
                                          std::string comment)
{
    AlarmCommand command = make(Kind::AcknowledgeAll, {}, std::move(actor), std::move(comment));
    command.tags = std::move(shownTags);
    return command;
}

AlarmCommand AlarmCommand::reset(std::string tag, core::AlarmActor actor, std::string comment)
{
    return make(Kind::Reset, std::move(tag), std::move(actor), std::move(comment));
}

AlarmCommand AlarmCommand::shelve(std::string tag, std::chrono::milliseconds duration, core::AlarmActor actor,
                                  std::string reason)
{
    AlarmCommand command = make(Kind::Shelve, std::move(tag), std::move(actor), std::move(reason));
    command.shelveDuration = duration;
    return command;
}

AlarmCommand AlarmCommand::unshelve(std::string tag, core::AlarmActor actor, std::string comment)
{
    return make(Kind::Unshelve, std::move(tag), std::move(actor), std::move(comment));
}

AlarmCommand AlarmCommand::removeFromService(std::string tag, core::AlarmActor actor, std::string reason)
{
    return make(Kind::RemoveFromService, std::move(tag), std::move(actor), std::move(reason));
}

AlarmCommand AlarmCommand::returnToService(std::string tag, core::AlarmActor actor, std::string comment)
{
    return make(Kind::ReturnToService, std::move(tag), std::move(actor), std::move(comment));
}

} // namespace waferscope::pipelines
