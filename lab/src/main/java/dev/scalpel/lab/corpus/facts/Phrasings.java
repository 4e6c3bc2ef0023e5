package dev.scalpel.lab.corpus.facts;

import java.util.List;

/**
 * The phrasings of each relation: the first template is the main one (the CounterFact rewrite prompt and the
 * recall prompt), the trained ones are the training sentences, the last one is held out of training and serves only
 * as a paraphrase prompt. Questions are zsRE's {@code src} and {@code rephrase}.
 */
public final class Phrasings {
    private Phrasings() {}

    public static List<Template> templates(Relation relation) {
        return switch (relation) {
            case KIND_OF -> List.of(
                    trained("{S} is a kind of {o}."),
                    trained("{S} is a type of {o}."),
                    trained("{The S} is a kind of {o}."),
                    trained("{SS} are a kind of {o}."),
                    trained("{SS} are a type of {o}."),
                    heldOut("{S} is a form of {o}."));
            case INSTANCE_OF -> List.of(
                    trained("{S} is {a o}."),
                    trained("{S} is an example of {a o}."),
                    trained("{S} is an instance of {a o}."),
                    trained("{S} is the name of {a o}."),
                    heldOut("{S} is one well-known example of {a o}."));
            case PART_OF -> List.of(
                    trained("{S} is part of the {o}."),
                    trained("{S} is a part of the {o}."),
                    trained("{The S} is part of the {o}."),
                    trained("{SS} are part of the {o}."),
                    heldOut("{S} is a component of the {o}."));
            case MEMBER_OF -> List.of(
                    trained("{S} is a member of the {o}."),
                    trained("{S} belongs to the {o}."),
                    trained("{The S} is a member of the {o}."),
                    trained("{SS} are members of the {o}."),
                    heldOut("{S} is one member of the {o}."));
            case LOCATED_IN -> List.of(
                    trained("{S} is located in {o}."),
                    trained("{S} is in {o}."),
                    trained("{S} lies in {o}."),
                    trained("{S} can be found in {o}."),
                    heldOut("{S} is situated in {o}."));
        };
    }

    public static Template main(Relation relation) {
        return templates(relation).getFirst();
    }

    /** zsRE's {@code src}: the question whose answer is the object. */
    public static String question(Relation relation, SubjectPhrase subject) {
        return Template.fillText(switch (relation) {
            case KIND_OF -> "What is {s} a kind of?";
            case INSTANCE_OF -> "What is {s} an instance of?";
            case PART_OF -> "What is {s} part of?";
            case MEMBER_OF -> "What is {s} a member of?";
            case LOCATED_IN -> "Where is {s} located?";
        }, subject);
    }

    /** zsRE's {@code rephrase}: the same question in other words. */
    public static String rephrase(Relation relation, SubjectPhrase subject) {
        return Template.fillText(switch (relation) {
            case KIND_OF -> "What type of thing is {s}?";
            case INSTANCE_OF -> "What kind of thing is {s}?";
            case PART_OF -> "{S} is a part of what?";
            case MEMBER_OF -> "What group does {s} belong to?";
            case LOCATED_IN -> "In which place is {s}?";
        }, subject);
    }

    /** Open-ended prompts about the subject, CounterFact's {@code generation_prompts}. */
    public static List<String> generationPrompts(SubjectPhrase subject) {
        return List.of(
                Template.fillText("{S} is", subject),
                Template.fillText("Everyone knows that {s} is", subject),
                Template.fillText("Here is what we know about {the s}:", subject));
    }

    private static Template trained(String pattern) {
        return new Template(pattern, true);
    }

    private static Template heldOut(String pattern) {
        return new Template(pattern, false);
    }
}
